"""What just happened, in the card's place: the choice's effects, or the opening's alerts.

After each confirm the turn screen shows, where the decision card was, what the choice
did (its own changes first, then the lens's rules, what it set for later, the rest of the
turn, thresholds crossed and the news), read from the session's
:class:`~game.timeline.ChoiceEffects` (which keeps unsaid what the player may not see).
Enter or Escape brings the next decision back (keys the turn screen handles: focus stays
on the decision, so nothing is restyled for a focus change); the log keeps the same text.

It is a panel of the turn screen rather than a modal screen: opening and closing a modal
lays out, styles and paints a whole screen twice, which cost more than the rest of the
turn together (benchmarks/bench_ui.py).
"""

from __future__ import annotations

from textual.content import Content

from game.session import Alert
from game.timeline import ChoiceEffects
from game.ui.widgets.prose import Doc, ProseView


def effects_doc(effects: ChoiceEffects, alerts: tuple[Alert, ...], date: str) -> Doc:
    """The choice, what it did, what it set for later, the rest of the turn, the news."""
    doc = Doc().add(("You chose", "bold underline")).add(effects.option, prefix="  ")
    if effects.argued:
        doc.add((effects.argued, "italic dim"), prefix="  ")
    doc.blank().add(("What your choice did", "bold underline"))
    for line in effects.changes:
        doc.add(line, prefix="  • ")
    if not effects.changes:
        doc.add(("Nothing changed at once.", "italic"), prefix="  ")
    if effects.rules:
        doc.blank().add(("The lens's rules that acted on it", "bold underline"))
        for line in effects.rules:
            doc.add(line, prefix="  • ")
    if effects.scheduled:
        doc.blank().add(("Set for later", "bold underline"))
        for line in effects.scheduled:
            doc.add(line, prefix="  • ")
    if effects.then or effects.notes:
        doc.blank().add(("Also this turn", "bold underline"))
        for line in effects.then:
            doc.add(line, prefix="  • ")
        for note in effects.notes:
            doc.add((f"({note})", "italic dim"), prefix="  ")
    crossed = [a for a in alerts if a.kind != "event"]
    if crossed:
        doc.blank().add(("Thresholds crossed", "bold underline"))
        for alert in crossed:
            doc.add((alert.title, "bold"), prefix="  ")
            for line in alert.text.splitlines():
                doc.add(line, prefix="    ")
    doc.blank().add((f"News — {date}", "bold underline"))
    for title, text, important in effects.news:
        doc.add((title, "bold"), prefix="  ‼ " if important else "  • ")
        doc.add(text, prefix="    ")
    if not effects.news:
        doc.add(("No news.", "italic"), prefix="  ")
    return doc


def alerts_doc(alerts: tuple[Alert, ...]) -> Doc:
    """The alerts, each a headline and what it means."""
    doc = Doc()
    for alert in alerts:
        doc.blank().add((alert.title, "bold"))
        for line in alert.text.splitlines():
            doc.add(line, prefix="  ")
    return doc


class EffectsPanel(ProseView, can_focus=False):
    """What just happened; the turn screen scrolls it and closes it."""

    def show_effects(self, effects: ChoiceEffects, alerts: tuple[Alert, ...], date: str) -> None:
        """What the choice just made did (``date``: of the turn the choice opened)."""
        important = any(a.kind in ("rung", "band") for a in alerts) or any(
            important for _, _, important in effects.news
        )
        self._show(
            Content.assemble(("WHAT YOUR CHOICE DID", "bold"), f" — {effects.title}"),
            effects_doc(effects, alerts, date),
            important,
        )

    def show_alerts(self, alerts: tuple[Alert, ...]) -> None:
        """What must not be missed: a new rung, a band crossed, important news."""
        self._show(Content.styled("‼ IMPORTANT", "bold"), alerts_doc(alerts), True)

    def _show(self, title: Content, doc: Doc, important: bool) -> None:
        self.border_title = title
        self.border_subtitle = "Enter: continue · ↑↓ PgUp PgDn: scroll"
        self.set_class(important, "-important")
        self.update(doc)
