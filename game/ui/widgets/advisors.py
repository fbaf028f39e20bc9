"""The advisors: what each essay says about the options on the table, with its citation.

On demand (``w``) the panel also shows each citation's short quote and, for each option,
why its effects would happen (the effects' ``why``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive

from game.content.models import Card, Effect, Event
from game.content.scenario import Scenario
from game.ui.text import linked
from game.ui.widgets.onepass import ScrollWithLayout
from game.ui.widgets.prose import Doc, Prose


def effect_words(scenario: Scenario, effect: Effect) -> str:
    """An effect's direction in words, without its size: 'Stability ▼', 'talks set'."""
    if effect.set_flag or effect.clear_flag:
        flag = effect.set_flag or effect.clear_flag or ""
        when = "from now on" if effect.set_flag else "no longer"
        description = next((f.description for f in scenario.flags if f.id == flag), "") or flag
        head = f"{when}: {description.rstrip('.')}"
    else:
        meter = scenario.meter.get(effect.target)
        label = meter.label if meter else effect.target
        arrow = {1: "▲", -1: "▼"}.get(effect.direction, "▲▼")
        if effect.uncertainty:
            head = f"uncertainty of {label} {arrow}"
        elif effect.add is not None:
            head = f"{label} {arrow}"
        elif effect.set is not None:
            head = f"{label} set"
        else:
            head = f"{label} ×{effect.scale}"
    extras = []
    if effect.after:
        extras.append(f"in {effect.after} turn{'s' if effect.after != 1 else ''}")
    if effect.chance < 1:
        extras.append(f"{round(effect.chance * 100)}% chance")
    return head + (f" ({', '.join(extras)})" if extras else "")


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:.") + "…"


def advisors_doc(scenario: Scenario, item: Card | Event, detail: bool, width: int = 60) -> Doc:
    """Each essay's position on the options of ``item``, grouped by essay.

    Brief by default (stance, option, paragraph); with ``detail`` the essay's title, each
    passage's quote and, per option, why its effects would happen.
    """
    doc = Doc()
    numbered = list(enumerate(item.options, start=1))
    said = False
    for source in scenario.sources:
        lines = Doc()
        for number, option in numbered:
            for citation in option.citations:
                if citation.source != source.id:
                    continue
                paragraphs = citation.label()[len(citation.source) + 1 :]
                room = width - len(citation.stance) - len(paragraphs) - 10
                text = option.text if detail else shorten(option.text, max(room, 16))
                lines.add(
                    (f"{citation.stance} {number}", "bold"),
                    f" · {text} ",
                    (paragraphs, "italic"),
                    prefix="  ",
                    indent=4,
                )
                if detail and citation.quote:
                    lines.add((f"“{citation.quote}”", "italic"), prefix="    ")
        if isinstance(item, Event):
            for citation in item.citations:
                if citation.source == source.id:
                    paragraphs = citation.label()[len(citation.source) + 1 :]
                    lines.add(("on this event", "bold"), " ", (paragraphs, "italic"), prefix="  ")
                    if detail and citation.quote:
                        lines.add((f"“{citation.quote}”", "italic"), prefix="    ")
        if not lines.paras:
            continue
        said = True
        doc.add((f"{source.author or source.title} ({source.id})", "bold underline"))
        if detail and source.author:
            doc.add((source.title, "italic"), prefix="  ")
        doc.paras += lines.paras
    if not said:
        doc.add(("No essay speaks directly to these options.", "italic"))
    doc.blank()
    if detail:
        doc.add(("Why would this happen?", "bold underline"))
        for number, option in numbered:
            reasons = [e for e in option.effects if e.why]
            if not reasons:
                continue
            doc.add((f"{number}. {shorten(option.text, max(width - 6, 20))}", "bold"), prefix="  ")
            for effect in reasons:
                doc.add(
                    (effect_words(scenario, effect), "italic"),
                    ": ",
                    linked(scenario.glossary, effect.why),
                    prefix="    ",
                )
        doc.blank()
        doc.add(("The lens in force may add to, cancel or scale these effects.", "dim"))
    else:
        doc.add(("w: each essay's title and quote, and why effects happen.", "dim"))
    return doc


class AdvisorsPanel(ScrollWithLayout, VerticalScroll, can_focus=True):
    """What each essay says about the decision on the table."""

    item: reactive[Card | Event | None] = reactive(None, always_update=True)
    detail: reactive[bool] = reactive(False)
    """Show quotes and the effects' explanations."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self._body = Prose(classes="panel-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def watch_item(self) -> None:
        self._show()

    def watch_detail(self) -> None:
        self._show()

    def _show(self) -> None:
        # (before the panel is mounted too, at the width it will have; on_resize redraws)
        self.border_subtitle = "w: fewer details" if self.detail else "w: quotes & why"
        if self.item is None:
            self._body.update(Doc())
            return
        width = self.scrollable_content_region.width or 60
        self._body.update(advisors_doc(self.scenario, self.item, self.detail, width))

    def on_resize(self) -> None:
        self._show()
