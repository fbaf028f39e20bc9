"""The debrief: the ending, its scores and verdicts, the timeline, the meters over time,
the decisive moments, the lens revealed, counterfactuals and questions; ``e`` exports it.

The debrief (which replays the game under other lenses) is built in a worker thread, so
the screen answers keys while it is computed.  Once shown, the open tab's text has the
focus (PageDown scrolls it) and ←/→ move between tabs, as the footer says.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Select, Static, TabbedContent, TabPane

from game.engine import outcome
from game.session import Session
from game.ui.widgets.debrief import ALL_METERS, MeterChart, build_chart, chart_views
from game.ui.widgets.footer import Footer
from game.ui.widgets.prose import Doc, Prose

if TYPE_CHECKING:
    from game.debrief import Debrief

TAB_KEYS = Binding.Group("Tabs", compact=True)

TABS = (
    ("ending", "Ending"),
    ("timeline", "Timeline"),
    ("chart", "Chart"),
    ("moments", "Moments"),
    ("lens", "Lens"),
    ("questions", "Questions"),
)


def ending_doc(debrief: Debrief) -> Doc:
    """The ending, its scores on each criterion, each author's verdict."""
    doc = Doc().add((f"Ending (turn {debrief.turn}): {debrief.ending_title}", "bold"))
    doc.add(debrief.ending_text).blank()
    doc.add(("Scores", "bold underline"))
    width = max((len(label) for label, _ in debrief.scores), default=0)
    for label, score in debrief.scores:
        gauge = "█" * score + "░" * (10 - score)
        doc.add(f"{label:<{width}}  ", gauge, (f" {score}/10", "bold"), prefix="  ")
    if debrief.scores:
        total = debrief.total_score
        doc.add(f"{'Total':<{width}}  ", (f"{total}", "bold"), prefix="  ")
    if debrief.verdicts:
        doc.blank().add(("What the authors would say", "bold underline"))
        for source, text in debrief.verdicts:
            doc.add((source, "bold"), ": ", text, prefix="  • ")
    return doc


def timeline_doc(debrief: Debrief) -> Doc:
    """Every decision, with what it changed and the news that followed."""
    doc = Doc()
    kinds = {"card": "", "event": "Event: ", "inject": "Inject: "}
    for entry in debrief.timeline:
        doc.blank()
        title = f"{kinds.get(entry.kind, '')}{entry.title}"
        doc.add((f"Turn {entry.turn} · {entry.date} — {title}", "bold"))
        if entry.option:
            doc.add("chose: ", (entry.option, "italic"), prefix="  ", indent=4)
        for change in entry.changes:
            doc.add(change, prefix="  • ")
        for news in entry.news:
            doc.add("news: ", news, prefix="  ", indent=4)
    if not debrief.timeline:
        doc.add(("No decisions were taken.", "italic"))
    return doc


def moments_doc(debrief: Debrief) -> Doc:
    """The decisive moments, with cause, reason and citations."""
    doc = Doc().add(
        ("The decisive moments", "bold underline"),
        ("  — the biggest swings and what caused them", "italic"),
    )
    for m in debrief.moments:
        doc.blank()
        change = f"{m.after - m.before:+d}".replace("-", "−")
        doc.add((f"Turn {m.turn}: {m.meter} {m.before} → {m.after} ({change})", "bold"))
        doc.add("because: ", m.cause, prefix="  ", indent=4)
        if m.why:
            doc.add("why: ", (m.why, "italic"), prefix="  ", indent=4)
        if m.citations:
            doc.add("see: ", ", ".join(m.citations), prefix="  ", indent=4)
    if not debrief.moments:
        doc.add(("Nothing decisive happened.", "italic"))
    return doc


def lens_doc(debrief: Debrief) -> Doc:
    """The lens (revealed if it was hidden) and what other lenses would have done."""
    head = "The hidden lens was" if debrief.lens_was_hidden else "You played under the lens"
    doc = Doc().add((f"{head}: {debrief.lens_name}", "bold"))
    if debrief.lens_source:
        doc.add(("from ", "italic"), debrief.lens_source, prefix="  ")
    doc.add(debrief.lens_summary).blank()
    doc.add(("Counterfactuals: your choices, the same seed, under each lens", "bold underline"))
    total = debrief.total_score
    doc.add(
        (f"{debrief.lens_name} (yours)", "bold"),
        f": {debrief.ending_title} — turn {debrief.turn}, total score {total}",
        prefix="▶ ",
    )
    for cf in debrief.counterfactuals:
        doc.add(
            (cf.lens_name, "bold"),
            f": {cf.ending_title} — turn {cf.turns}, total score {cf.total_score}",
            prefix="  ",
        )
        doc.add((cf.replay_line, "dim"), prefix="    ")
        if cf.note:
            doc.add((cf.note, "italic dim"), prefix="    ")
    if not debrief.counterfactuals:
        doc.add(("No other lens to compare.", "italic"))
    return doc


def questions_doc(debrief: Debrief) -> Doc:
    """Discussion questions."""
    doc = Doc().add(("For discussion", "bold underline"))
    for number, question in enumerate(debrief.questions, start=1):
        doc.blank().add(question, prefix=f"{number}. ")
    if not debrief.questions:
        doc.add(("No questions for this ending.", "italic"))
    return doc


class DebriefScreen(Screen[str]):
    """The end of the game, explained."""

    CSS_PATH = "debrief.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", tooltip="Export the debrief to Markdown"),
        Binding("t", "title", "Title", tooltip="Back to the title screen"),
        Binding("n", "new_game", "New game", show=False, tooltip="Start a new game"),
        # Priority: the focused text scrolls sideways with the arrows otherwise.
        Binding("left", "next_tab(-1)", "Tab", key_display="←", priority=True, group=TAB_KEYS),
        Binding("right", "next_tab(1)", "Tab", key_display="→", priority=True, group=TAB_KEYS),
        Binding("h", "next_tab(-1)", "Previous tab", show=False),
        Binding("l", "next_tab(1)", "Next tab", show=False),
        Binding("v", "chart_as_text", "Chart/text", tooltip="The meter chart as text, or drawn"),
    ]

    def __init__(self, session: Session, export_dir: Path) -> None:
        """``export_dir``: where ``e`` writes the Markdown debrief."""
        super().__init__()
        self.session = session
        self.export_dir = export_dir
        self.debrief: Debrief | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="debrief-status")
        yield LoadingIndicator(id="debrief-loading")
        with TabbedContent(id="debrief-tabs"):
            for tab_id, title in TABS:
                if tab_id == "chart":
                    with TabPane(title, id="tab-chart"), Vertical(classes="debrief-pane"):
                        with Horizontal(id="chart-controls"):
                            views = chart_views(self.session.scenario)
                            yield Select[str](
                                [(label, view) for view, label in views],
                                value=ALL_METERS,
                                allow_blank=False,
                                compact=True,
                                id="chart-view",
                            )
                            yield Select[str](
                                [], prompt="beside: none", compact=True, id="chart-lens"
                            )
                        yield Horizontal(id="chart-plots")
                        with VerticalScroll(id="chart-text"):
                            yield MeterChart(id="chart")
                    continue
                with TabPane(title, id=f"tab-{tab_id}"), VerticalScroll(classes="debrief-pane"):
                    yield Prose(id=f"debrief-{tab_id}")
        yield Footer()

    def on_mount(self) -> None:
        self.show_status()
        self.query_one("#debrief-tabs").display = False
        self.build()

    def show_status(self, lens: str = "") -> None:
        """The status line: the ending, the turn, the seed, and the lens once revealed."""
        scenario, state = self.session.scenario, self.session.state
        result = outcome(scenario, state)
        title = result.ending.title if result else "The end"
        self.query_one("#debrief-status", Static).update(
            Content.assemble(
                ("DEBRIEF", "bold reverse"),
                f"  {title} · ",
                ("ended by your instructor · " if state.termination == "instructor" else ""),
                (f"the hidden lens was {lens}" if lens else "", "bold"),
                " · " if lens else "",
                f"turn {state.turn} · seed {state.seed}",
            )
        )

    @work(thread=True, exclusive=True)
    def build(self) -> None:
        """Compute the debrief (replays under every lens) off the UI thread."""
        from game.debrief import build_debrief

        debrief = build_debrief(self.session.scenario, self.session.state)
        self.app.call_from_thread(self.show, debrief)

    def show(self, debrief: Debrief) -> None:
        """Fill the tabs."""
        self.debrief = debrief
        self.query_one("#debrief-loading").display = False
        self.query_one("#debrief-tabs").display = True
        self.query_one("#debrief-ending", Prose).update(ending_doc(debrief))
        self.query_one("#debrief-timeline", Prose).update(timeline_doc(debrief))
        self.query_one("#debrief-moments", Prose).update(moments_doc(debrief))
        self.query_one("#debrief-lens", Prose).update(lens_doc(debrief))
        self.query_one("#debrief-questions", Prose).update(questions_doc(debrief))
        chart = self.query_one(MeterChart)
        chart.ranges = dict(debrief.ranges)
        chart.history = {k: tuple(v) for k, v in debrief.history.items()}
        lenses = self.query_one("#chart-lens", Select)
        lenses.set_options([(f"beside: {cf.lens_name}", cf.lens) for cf in debrief.counterfactuals])
        if debrief.counterfactuals:
            lenses.value = debrief.counterfactuals[0].lens
        if self.query_one(TabbedContent).active == "tab-chart":
            self.draw_chart()
        if debrief.lens_was_hidden:
            # In the status line, not a notification: one would cover the verdicts.
            self.show_status(debrief.lens_name)
        self.focus_pane()

    def focus_pane(self) -> None:
        """Focus the open tab's text, so the arrows and PageDown scroll it."""
        tabs = self.query_one(TabbedContent)
        self.query_one(f"#{tabs.active} .debrief-pane").focus(scroll_visible=False)

    def on_tabbed_content_tab_activated(self) -> None:
        if self.debrief is not None:
            self.call_after_refresh(self.focus_pane)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-chart":
            self.draw_chart()

    @on(Select.Changed)
    def _chart_chosen(self, event: Select.Changed) -> None:
        event.stop()
        self.draw_chart()

    def draw_chart(self) -> None:
        """Draw the chosen view of the meters for the player's lens, and beside it the
        same view for the chosen other lens (plots made the first time they are shown)."""
        if self.debrief is None or self.query_one("#chart-text").display:
            return
        if self.query_one(TabbedContent).active != "tab-chart":
            return  # drawn when the tab is shown
        # Deferred: textual_plotext and plotext take about 40 ms to import, paid only
        # by a player who opens the chart.
        from game.ui.widgets.plot import HistoryPlot

        box = self.query_one("#chart-plots", Horizontal)
        if not box.children:
            box.mount(HistoryPlot(id="plot-yours"), HistoryPlot(id="plot-other"))
        view = self.query_one("#chart-view", Select).value
        if not isinstance(view, str):
            return
        scenario, debrief = self.session.scenario, self.debrief
        box.query_one("#plot-yours", HistoryPlot).show(
            build_chart(scenario, debrief, view, debrief.lens_id)
        )
        other = box.query_one("#plot-other", HistoryPlot)
        lens = self.query_one("#chart-lens", Select).value
        other.display = isinstance(lens, str)
        if isinstance(lens, str):
            other.show(build_chart(scenario, debrief, view, lens))

    def action_chart_as_text(self) -> None:
        """Show the meter chart as text (block columns and numbers), or drawn again."""
        self.query_one(TabbedContent).active = "tab-chart"
        text = self.query_one("#chart-text")
        text.display = not text.display
        self.query_one("#chart-plots").display = not text.display
        self.query_one("#chart-controls").display = not text.display
        self.draw_chart()

    def export_path(self) -> Path:
        """Where ``e`` writes the Markdown debrief."""
        return self.export_dir / f"debrief-{self.session.state.seed}.md"

    def action_export(self) -> None:
        """Write the debrief as Markdown into the saves folder."""
        if self.debrief is None:
            self.notify("The debrief is still being prepared.", severity="warning", markup=False)
            return
        from game.debrief import debrief_markdown

        path = self.export_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(debrief_markdown(self.debrief), encoding="utf-8")
        except OSError as exc:
            self.notify(
                f"Cannot write {path}: {exc.strerror or exc}",
                title="Export failed",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.notify(f"Written to {path}", title="Debrief exported", timeout=6, markup=False)

    def action_title(self) -> None:
        """Back to the title screen."""
        self.dismiss("title")

    def action_new_game(self) -> None:
        """Open the new-game dialog."""
        self.dismiss("new")

    def action_next_tab(self, step: int) -> None:
        """Move to the next (or previous) tab."""
        tabs = self.query_one(TabbedContent)
        ids = [f"tab-{t}" for t, _ in TABS]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = ids[(current + step) % len(ids)]
