"""News and log: this turn's events, then every decision with each change and its cause."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from game.content.scenario import Scenario
from game.ui.session import LogItem
from game.ui.text import linked

Part = Content | str | tuple[str, str]


def news_content(scenario: Scenario, date: str, news: Sequence[str]) -> Content:
    """This turn's events, headline and text."""
    parts: list[Part] = [(f"This turn — {date}", "bold underline")]
    if not news:
        parts += ["\n", ("No news this turn.", "italic")]
    for event_id in news:
        event = scenario.event.get(event_id)
        if event is None:
            continue
        mark = "‼ " if event.important else "• "
        parts += ["\n", (mark + event.title, "bold"), "\n  ", linked(scenario.glossary, event.text)]
    return Content.assemble(*parts)


def log_content(log: Sequence[LogItem]) -> Content:
    """The decisions so far, newest first, each with its changes and their causes."""
    parts: list[Part] = [("Log", "bold underline")]
    if not log:
        parts += ["\n", ("Nothing decided yet.", "italic")]
    for item in reversed(log):
        parts += [
            "\n",
            (f"Turn {item.turn} · {item.date} — {item.title}", "bold"),
            "\n  chose: ",
            (item.option, "italic"),
        ]
        for change in item.changes:
            parts += ["\n  • ", change]
        if not item.changes:
            parts += ["\n  ", ("no change", "italic")]
        for note in item.notes:
            parts += ["\n  ", (f"({note})", "italic $text-muted")]
        if item.news:
            parts += ["\n  then news: ", ", ".join(item.news)]
    return Content.assemble(*parts)


class NewsPanel(VerticalScroll, can_focus=True):
    """This turn's events and the log of what each decision changed, and why."""

    news: reactive[tuple[str, ...]] = reactive((), always_update=True)
    date: reactive[str] = reactive("")
    log: reactive[tuple[LogItem, ...]] = reactive((), always_update=True)

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        yield Static(id="news-body", classes="panel-body")
        yield Static(id="log-body", classes="panel-body")

    def watch_news(self) -> None:
        if self.is_mounted:
            body = news_content(self.scenario, self.date, self.news)
            self.query_one("#news-body", Static).update(body)

    def watch_log(self) -> None:
        if self.is_mounted:
            self.query_one("#log-body", Static).update(log_content(self.log))

    def on_mount(self) -> None:
        self.watch_news()
        self.watch_log()
