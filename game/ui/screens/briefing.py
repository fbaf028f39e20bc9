"""The briefing before turn one: situation, role, what the meters mean, how lenses work.

Drawn from the scenario's ``[briefing]`` sections, meter and rung descriptions and lens
summaries.  A hidden lens is never named: all lenses are described, none marked.
"""

from __future__ import annotations

import re
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button

from game.content.text import fill
from game.engine.view import lens_is_hidden
from game.session import Session
from game.ui.text import linked, pick_keys
from game.ui.widgets.footer import Footer
from game.ui.widgets.prose import Doc, Prose

Part = Content | str | tuple[str, str]


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text (blank lines separate them; single line breaks are spaces)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def briefing_doc(session: Session) -> Doc:
    """The whole briefing."""
    scenario, state = session.scenario, session.state
    info = scenario.info
    glossary = scenario.glossary
    doc = Doc().add((info.title, "bold"), f"  ·  {session.view.date}")
    filled = partial(fill, turn_limit=state.turn_limit, months_per_turn=info.months_per_turn)

    def section(heading: str, text: str) -> None:
        """A heading and its paragraphs, their placeholders filled for this game's length."""
        doc.blank().add((filled(heading), "bold underline"))
        for n, para in enumerate(paragraphs(filled(text))):
            if n:
                doc.blank()
            doc.add(linked(glossary, para))

    # The scenario's own sections may already tell the situation and the role.
    own = {s.heading.strip().casefold() for s in scenario.briefing.sections}
    if session.exercise_note:
        section(f"From your instructor: {session.exercise_title}", session.exercise_note)
    if info.summary and "the situation" not in own:
        section("The situation", info.summary)
    if info.role and "your role" not in own:
        section("Your role", info.role)
    for part in scenario.briefing.sections:
        section(part.heading, part.text)

    doc.blank().add(("What the meters mean", "bold underline"))
    ladder = scenario.ladder
    doc.add(
        (ladder.label, "bold"),
        f": a ladder of {len(ladder.rungs)} rungs. Reaching the top ends the game.",
    )
    for number, rung in enumerate(ladder.rungs):
        parts: list[Part] = [(rung.name, "bold")]
        if rung.description:
            parts += [" — ", linked(glossary, rung.description)]
        doc.add(*parts, prefix=f"  {number:>2}. ")
    notes = {
        "exact": "",
        "estimate": " (an estimate: shown as ≈ with a range that intelligence narrows)",
        "hidden": " (hidden: you will see it only in the debrief)",
    }
    for meter in scenario.meters[1:]:
        parts = [(meter.label, "bold"), (notes[meter.visibility], "italic")]
        if meter.description:
            parts += [" — ", linked(glossary, meter.description)]
        doc.add(*parts, prefix="• ")
        if meter.bands:
            names = " · ".join(f"{b.label} from {b.min}" for b in meter.bands)
            doc.add((f"bands: {names}", "italic"), prefix="    ")
    doc.add("Every meter shows its change since last turn as text: ▲+3, ▼−2 or =0.")

    doc.blank().add(("How the lenses work", "bold underline"))
    doc.add(
        "The essays disagree about cause and effect. Each author's theory is a lens: "
        "a set of rules that changes what your options do. The same decision can calm "
        "the crisis under one lens and inflame it under another."
    )
    for lens in scenario.lenses:
        source = scenario.source.get(lens.source)
        by = f" ({source.author or source.title})" if source else ""
        doc.add((f"{lens.name}{by}", "bold"), " — ", lens.summary, prefix="• ")
    if lens_is_hidden(state):
        doc.add(
            (
                "In this game the lens is hidden: one of these runs the world, and the "
                "debrief will reveal which — and what your choices would have done "
                "under the others.",
                "italic",
            )
        )
    else:
        chosen = scenario.lens.get(state.lens)
        name = chosen.name if chosen else state.lens
        doc.add(("In this game the lens is ", "italic"), (name, "bold"), ".")

    counts = [len(c.options) for c in scenario.cards] + [len(e.options) for e in scenario.events]
    most = max(counts, default=1)
    doc.blank().add(("How to play", "bold underline"))
    doc.add(
        "Each turn brings news and a decision card. Read what the advisors (the essays) "
        f"say, pick an option with its number ({pick_keys(most)}) and confirm with Enter. "
        "The game autosaves every turn. ? shows every key; g opens the glossary "
        "(underlined words are in it — click them)."
    )
    return doc


class BriefingScreen(Screen[None]):
    """The briefing; before turn one it ends with 'Begin' (dismissed then, for the turns
    to begin), later it is a reference."""

    CSS_PATH = "briefing.tcss"
    AUTO_FOCUS = "#briefing-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "begin", "Begin", key_display="⏎"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, session: Session, *, starting: bool) -> None:
        super().__init__()
        self.session = session
        self.starting = starting

    def compose(self) -> ComposeResult:
        scenario, limit = self.session.scenario, self.session.state.turn_limit
        title = fill(scenario.briefing.title, limit, scenario.info.months_per_turn) or "Briefing"
        with VerticalScroll(id="briefing-body") as body:
            body.border_title = Content(title)
            yield Prose(id="briefing-text")
        with Horizontal(id="briefing-buttons"):
            label = "Begin turn one  [Enter]" if self.starting else "Back to the game  [Enter]"
            yield Button(Content(label), id="begin", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#briefing-text", Prose).update(briefing_doc(self.session))

    def glossary_hint(self) -> list[int]:
        """Glossary entries found in the briefing, for the glossary to list first."""
        from game.ui.text import glossary_terms

        scenario = self.session.scenario
        texts = [s.text for s in scenario.briefing.sections]
        texts += [scenario.info.summary, scenario.info.role]
        return glossary_terms(scenario.glossary, "\n".join(texts))

    @on(Button.Pressed, "#begin")
    def _begin(self) -> None:
        self.action_begin()

    def action_begin(self) -> None:
        """Start playing (or go back to the game)."""
        self.dismiss(None)

    def action_back(self) -> None:
        """Back to the game (when opened during one)."""
        if not self.starting:
            self.dismiss(None)
