"""The advisors: what each essay says about the options on the table, with its citation.

On demand (``w``) the panel also shows each citation's short quote and, for each option,
why its effects would happen (the effects' ``why``).
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from game.content.models import Card, Effect, Event
from game.content.scenario import Scenario
from game.ui.text import linked

Part = Content | str | tuple[str, str]


def effect_words(scenario: Scenario, effect: Effect) -> str:
    """An effect's direction in words, without its size: 'Stability ▼', 'talks set'."""
    if effect.set_flag or effect.clear_flag:
        flag = effect.set_flag or effect.clear_flag or ""
        what = "begins" if effect.set_flag else "ends"
        description = next((f.description for f in scenario.flags if f.id == flag), "") or flag
        head = f"{description}: {what}"
    else:
        meter = scenario.meter.get(effect.target)
        label = meter.label if meter else effect.target
        if effect.uncertainty:
            head = f"uncertainty of {label} {'▼' if (effect.add or 0) < 0 else '▲'}"
        elif effect.add is not None:
            head = f"{label} {'▲' if effect.add > 0 else '▼'}"
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


def advisors_content(scenario: Scenario, item: Card | Event, detail: bool) -> Content:
    """Each essay's position on the options of ``item``, grouped by essay."""
    parts: list[Part] = []
    numbered = list(enumerate(item.options, start=1))
    said = False
    for source in scenario.sources:
        lines: list[Part] = []
        for number, option in numbered:
            for citation in option.citations:
                if citation.source != source.id:
                    continue
                lines += [
                    "\n  ",
                    (citation.stance, "bold"),
                    f" {number}. {option.text} ",
                    (f"({citation.label()})", "italic"),
                ]
                if detail and citation.quote:
                    lines += ["\n     ", (f"“{citation.quote}”", "italic")]
        if isinstance(item, Event):
            for citation in item.citations:
                if citation.source == source.id:
                    lines += ["\n  ", ("context", "bold"), " ", (f"({citation.label()})", "italic")]
                    if detail and citation.quote:
                        lines += ["\n     ", (f"“{citation.quote}”", "italic")]
        if not lines:
            continue
        said = True
        who = f" — {source.author}" if source.author else ""
        if parts:
            parts.append("\n\n")
        parts += [(f"{source.title}{who}", "bold underline"), *lines]
    if not said:
        parts.append(("No essay speaks directly to these options.", "italic"))
    if detail:
        parts += ["\n\n", ("Why would this happen?", "bold underline")]
        for number, option in numbered:
            reasons = [e for e in option.effects if e.why]
            if not reasons:
                continue
            parts += ["\n  ", (f"{number}. {option.text}", "bold")]
            for effect in reasons:
                parts += [
                    "\n     ",
                    (effect_words(scenario, effect), "italic"),
                    ": ",
                    linked(scenario.glossary, effect.why),
                ]
    else:
        parts += ["\n\n", ("Press w for the quotes and why each effect would happen.", "italic")]
    return Content.assemble(*parts)


class AdvisorsPanel(VerticalScroll, can_focus=True):
    """What each essay says about the decision on the table."""

    item: reactive[Card | Event | None] = reactive(None, always_update=True)
    detail: reactive[bool] = reactive(False)
    """Show quotes and the effects' explanations."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self._body = Static(classes="panel-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def watch_item(self) -> None:
        self._show()

    def watch_detail(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self.is_mounted:
            return
        self.border_subtitle = "w: fewer details" if self.detail else "w: quotes & why"
        if self.item is None:
            self._body.update("")
            return
        self._body.update(advisors_content(self.scenario, self.item, self.detail))

    def on_mount(self) -> None:
        self._show()
