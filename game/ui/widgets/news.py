"""News and log: this turn's events, then every decision with each change and its cause."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from game.content.scenario import Scenario
from game.session import LogItem
from game.ui.text import linked
from game.ui.widgets.onepass import ScrollWithLayout
from game.ui.widgets.prose import Doc, Prose


def news_doc(scenario: Scenario, date: str, news: Sequence[str]) -> Doc:
    """This turn's events, headline and text."""
    doc = Doc().add((f"This turn — {date}", "bold underline"))
    if not news:
        doc.add(("No news this turn.", "italic"))
    for event_id in news:
        event = scenario.event.get(event_id)
        if event is None:
            continue
        doc.add((event.title, "bold"), prefix="‼ " if event.important else "• ")
        doc.add(linked(scenario.glossary, event.text), prefix="  ")
    return doc


def log_doc(log: Sequence[LogItem]) -> Doc:
    """The decisions so far, newest first, each with its changes and their causes."""
    doc = Doc().add(("Log", "bold underline"))
    if not log:
        doc.add(("Nothing decided yet.", "italic"))
    for item in reversed(log):
        doc.add((f"Turn {item.turn} · {item.date} — {item.title}", "bold"))
        if item.option:
            doc.add("chose: ", (item.option, "italic"), prefix="  ", indent=4)
        for change in item.changes:
            doc.add(change, prefix="  • ")
        if not item.changes:
            doc.add(("no change", "italic"), prefix="  ")
        for rule in item.rules:
            doc.add("lens rule: ", (rule, "italic"), prefix="  ", indent=4)
        for later in item.scheduled:
            doc.add("scheduled: ", later, prefix="  ", indent=4)
        for note in item.notes:
            doc.add((f"({note})", "italic dim"), prefix="  ")
        if item.news:
            doc.add("then news: ", ", ".join(item.news), prefix="  ", indent=4)
    return doc


class NewsPanel(ScrollWithLayout, VerticalScroll, can_focus=True):
    """This turn's events and the log of what each decision changed, and why."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self.date = ""
        self.news: tuple[str, ...] = ()
        self.entries: tuple[LogItem, ...] = ()
        """The log of decisions so far."""
        self._body = Prose(id="news-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, date: str, news: Sequence[str], entries: Sequence[LogItem]) -> None:
        """This turn's date and events, and the log so far."""
        self.date, self.news, self.entries = date, tuple(news), tuple(entries)
        self._show()

    def _show(self) -> None:
        # (before the panel is mounted too: it is built when first shown, see TurnScreen)
        doc = news_doc(self.scenario, self.date, self.news).blank()
        doc.paras += log_doc(self.entries).paras
        self._body.update(doc)
