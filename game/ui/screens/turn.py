"""The turn screen: meters, ladder, decision card, advisors, news and log.

On a short terminal (under 34 rows, 80×24 included) the decision is the screen: the
ladder and the meters take a line each above the card, and the advisors or the news
take the card's place while looked at (``a`` / ``n``; Escape, a pick or the same key
brings the card back).

State flows down: after each choice the screen hands the new View to its widgets.
Choices come up from the card as :class:`OptionsBox.Chosen`; the screen passes them to
the session (which calls the engine and autosaves) and then shows, in the card's place,
what the choice did (its own effects first, then the turn's news) until Enter brings the
next decision: a card, or an event that demands an answer (marked as one on the card).
Nothing in a turn opens a modal screen: a modal costs a whole screen's layout and paint
to open and again to close.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from game.engine import current_decision
from game.session import Alert, Session
from game.ui.notices import save_failed
from game.ui.text import glossary_terms, pick_keys
from game.ui.widgets.advisors import AdvisorsPanel
from game.ui.widgets.card import PICK_BINDINGS, CardPanel, OptionsBox
from game.ui.widgets.effects import EffectsPanel
from game.ui.widgets.footer import Footer
from game.ui.widgets.meters import LadderGauge, MetersPanel
from game.ui.widgets.news import NewsPanel

if TYPE_CHECKING:
    from textual.signal import Signal
    from textual.widget import AwaitMount

    from game.content.models import Card, Event

TALL = 34


@dataclass(frozen=True, slots=True)
class Below:
    """What the turn screen shows under the card (or in its place): the advisors and the
    news under their tabs, built the first time they are shown."""

    box: Vertical
    tabs: Static
    advisors: AdvisorsPanel
    news: NewsPanel
    mounted: AwaitMount
    """Awaited until they are mounted (at once, later)."""


class TurnScreen(Screen[None]):
    """One turn after another: read the board, pick an option, confirm.  Dismissed when
    the game is over."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's, without its repaint of the whole screen at each focus change (a, n, Tab
    and Escape move the focus; the widgets whose focus styles change repaint themselves)."""

    CSS_PATH = "turn.tcss"
    AUTO_FOCUS = None  # focused in on_mount, without scrolling the situation out of view
    BINDINGS: ClassVar[list[BindingType]] = [
        *PICK_BINDINGS,
        Binding("s", "save", "Save", tooltip="Save now and keep a copy of this turn"),
        Binding("w", "why", "Why?", tooltip="Advisors: quotes and why effects happen"),
        Binding("a", "lower('advisors')", "Advisors", show=False, tooltip="Show the advisors"),
        Binding("n", "lower('news')", "News & log", show=False, tooltip="Show news and log"),
        Binding("b", "briefing", "Briefing", show=False, tooltip="Read the briefing again"),
        Binding("escape", "decision", "Decision", show=False, tooltip="Back to the decision"),
        # While what the choice did is shown in the card's place (see check_action):
        Binding("enter", "continue", "Continue", key_display="⏎", tooltip="Back to the decision"),
        Binding("up", "scroll_report('up')", "Scroll up", show=False),
        Binding("down", "scroll_report('down')", "Scroll down", show=False),
        Binding("pageup", "scroll_report('page_up')", "Page up", show=False),
        Binding("pagedown", "scroll_report('page_down')", "Page down", show=False),
        Binding("home", "scroll_report('home')", "Top", show=False),
        Binding("end", "scroll_report('end')", "Bottom", show=False),
    ]

    def __init__(self, session: Session, reloaded: Signal[Session] | None = None) -> None:
        """``reloaded``: published when the session's game was replayed on edited content
        (hot reload); the board is drawn again in place."""
        super().__init__()
        self.session = session
        self.reloaded = reloaded
        self._lower = "advisors"
        self._aside = False
        """On a short terminal: the advisors or the news shown in the card's place."""
        self._report = False
        """What just happened (a choice's effects, the opening's alerts) in the card's place."""
        self._lower_stale = True
        """Whether the advisors and the news show an earlier turn (see _refresh_lower)."""
        self._tabs: tuple[bool, bool] | None = None
        """What the tabs above the advisors and the news say: (news shown, compact)."""
        self._below: Below | None = None
        """The advisors and the news under their tabs, once built (see _lower_panes)."""

    def compose(self) -> ComposeResult:
        scenario = self.session.scenario
        yield Static(id="status")
        with Horizontal(id="main"):
            meters = MetersPanel(scenario.ladder.label, id="meters")
            meters.border_title = "Situation"
            yield meters
            with Vertical(id="right"):
                yield EffectsPanel(id="effects")
                yield CardPanel(scenario, id="card")
                # then the advisors and the news, once shown: see _lower_panes
        yield Footer()

    def _lower_panes(self) -> Below:
        """The advisors and the news, built the first time they are shown: on a short
        terminal that may be never, and every widget on the screen costs something at
        every key, in sight or not.  (They take what they show before they are mounted,
        and show it once they are.)"""
        if self._below is None:
            scenario = self.session.scenario
            advisors = AdvisorsPanel(scenario, id="advisors")
            advisors.border_title = "Advisors"
            news = NewsPanel(scenario, id="news")
            news.border_title = "News & log"
            tabs = Static(id="lower-tabs")
            panes = Horizontal(*self.panes_before(), advisors, news, id="panes")
            box = Vertical(tabs, panes, id="lower")
            mounted = self.query_one("#right").mount(box)
            self._below = Below(box, tabs, advisors, news, mounted)
        return self._below

    def panes_before(self) -> list[Widget]:
        """Panes shown before the advisors (the vote console's tally)."""
        return []

    def on_mount(self) -> None:
        self._show_lower()
        self.refresh_board()
        self.query_one(OptionsBox).focus(scroll_visible=False)
        if self.reloaded is not None:
            self.reloaded.subscribe(self, self._replayed)
        self.after_choice(self.session.take_opening())

    def _replayed(self, session: Session) -> None:
        if session is self.session:
            self.refresh_board()
            self.action_decision()  # what was shown told of a choice on the old content

    def on_resize(self) -> None:
        tall = self.app.size.height >= TALL
        self.query_one("#ladder", LadderGauge).full = tall
        self.query_one(MetersPanel).compact = not tall
        self.query_one(CardPanel).compact = not tall
        self._show_lower()
        self.refresh_status()

    # --- showing the state ---------------------------------------------------------

    def current_item(self) -> Card | Event | None:
        """The card or event owed now."""
        decision = current_decision(self.session.state)
        if decision is None:
            return None
        return self.session.scenario.item(decision.kind, decision.id)

    def refresh_board(self) -> None:
        """Hand the current view down to every widget."""
        session = self.session
        v = session.view
        item = self.current_item()
        self.refresh_status()
        self.query_one(MetersPanel).view = v
        self.query_one(CardPanel).item = item
        self._lower_stale = True
        if self._below is not None and self._below.box.display:
            self._refresh_lower()

    def _refresh_lower(self) -> None:
        """The advisors, news and log of this turn (drawn only when in sight: on a short
        terminal they wait for `a` or `n`, and for Enter after a choice)."""
        self._lower_stale = False
        v = self.session.view
        below = self._lower_panes()
        below.advisors.item = self.current_item()
        below.news.show(v.date, v.news, self.session.log)

    def refresh_status(self) -> None:
        """The status line: turn, date, lens (or 'hidden'), whether the game is saved."""
        session = self.session
        v = session.view
        saved = "saved ✓" if session.on_disk else "NOT SAVED ✗"
        turn = f"Turn {v.turn} of {v.turn_limit} · {v.date}  │  Lens: {v.lens}  │  "
        # under --watch, which content the game runs on matters more than its title
        label = getattr(self.app, "content_label", lambda _: None)(session.scenario)
        title = label or session.scenario.info.title
        room = self.app.size.width - len(turn) - len(saved) - 7
        self.query_one("#status", Static).update(
            Content.assemble(
                (f"{title}  │  " if len(title) <= room else "", "bold"),
                turn,
                (saved, "bold" if session.on_disk else "bold reverse"),
            )
        )

    def _show_lower(self) -> None:
        show_news = self._lower == "news"
        # What the card's column shows, set on the three widgets themselves: a class on
        # the column would restyle every widget in it.
        short = self.compact
        self.query_one(EffectsPanel).display = self._report
        self.query_one(CardPanel).display = not (short and self._aside)
        shown = not short or self._aside
        if self._below is not None:
            self._below.box.display = shown
        if not shown:
            return
        below = self._lower_panes()
        lower = below.box
        # On the lower container, not the screen: a class change restyles only its subtree.
        lower.set_class(show_news, "-show-news")
        if self._lower_stale:
            self._refresh_lower()
        tabs = (show_news, self.compact)
        if tabs == self._tabs:  # unchanged: a Static's update costs a layout
            return
        self._tabs = tabs
        left = "▶ Advisors" if not show_news else "  Advisors"
        right = "▶ News & log" if show_news else "  News & log"
        below.tabs.update(
            Content.from_markup(
                "[@click=screen.lower('advisors')]$left[/]   "
                "[@click=screen.lower('news')]$right[/]   [dim](a / n)[/]   "
                "[@click=screen.decision()]$back[/]",
                left=left,
                right=right,
                back="Esc: back to the decision" if self.compact else "",
            )
        )

    @property
    def compact(self) -> bool:
        """Whether the terminal is short: the card and the lower panes take turns."""
        return self.app.size.height < TALL

    @property
    def option_count(self) -> int:
        """How many options the player picks among (the footer's pick keys say so)."""
        try:  # query_one is cached (a query walks the screen: the footer asks twice a turn)
            return len(self.query_one(OptionsBox).options)
        except NoMatches:  # not composed yet
            return 0

    # --- actions ---------------------------------------------------------------------

    def action_pick(self, number: int) -> None:
        """Pick option ``number`` (1-based): the decision comes back if it was hidden."""
        self.action_decision()
        box = self.query_one(OptionsBox)
        if box.pick(number - 1):
            self._focus_options()
        else:
            self.notify(
                f"There is no option {number} here.", severity="warning", timeout=3, markup=False
            )

    def action_confirm(self) -> None:
        """Choose the picked option."""
        self.query_one(OptionsBox).confirm()

    def action_save(self) -> None:
        """Save now, and keep a copy of this turn to come back to."""
        from game.saves import SaveError

        try:
            path = self.session.keep_copy()
        except SaveError as exc:
            save_failed(self, str(exc))
            return
        self.refresh_status()
        self.notify(
            f"A copy of this turn is kept: {path.name}", title="Saved", timeout=4, markup=False
        )

    def action_why(self) -> None:
        """Show or hide the quotes and the effects' explanations."""
        advisors = self._lower_panes().advisors
        advisors.detail = not advisors.detail
        self._lower = "advisors"
        self._aside = self.compact
        self._show_lower()

    async def action_lower(self, which: str) -> None:
        """Show the advisors or the news & log (on narrow terminals they share a place; on
        short ones they take the card's, and the same key again brings the card back)."""
        if self.compact and self._aside and self._lower == which:
            self.action_decision()
            return
        self._lower = which
        self._aside = self.compact
        self._show_lower()
        below = self._lower_panes()
        await below.mounted  # perhaps built just now: focus once mounted
        (below.news if which == "news" else below.advisors).focus()

    def action_decision(self) -> None:
        """Back to the decision card, from what just happened or (on a short terminal)
        from the advisors or the news that took its place."""
        if not (self._aside or self._report):
            return
        box = self.query_one(OptionsBox)
        if self._report:
            self._report = box.held = False
            self.refresh_bindings()
        self._aside = False
        # Focus first: hiding the focused widget would move focus twice.
        self._focus_options()
        self._show_lower()

    def action_briefing(self) -> None:
        """Read the briefing again."""
        from game.ui.screens.briefing import BriefingScreen

        self.app.push_screen(BriefingScreen(self.session, starting=False))

    def glossary_hint(self) -> list[int]:
        """Glossary entries found in the current card, for the glossary to list first."""
        item = self.current_item()
        if item is None:
            return []
        texts = [item.text, *(o.text for o in item.options), *(o.detail for o in item.options)]
        return glossary_terms(self.session.scenario.glossary, "\n".join(texts))

    # --- choosing ----------------------------------------------------------------------

    @on(OptionsBox.NothingPicked)
    def _nothing_picked(self) -> None:
        count = len(self.query_one(OptionsBox).options)
        self.notify(
            f"Pick an option first: {pick_keys(count)}.",
            severity="warning",
            timeout=3,
            markup=False,
        )

    @on(OptionsBox.Chosen)
    def _chosen(self, message: OptionsBox.Chosen) -> None:
        self.take(message.option.id)

    def take(self, option: str) -> None:
        """Take an option of the current decision, then show what followed; unless the
        instructor has paused the class (the choice waits) or ended it (the debrief)."""
        hold = getattr(self.app, "hold_for_class", None)
        if callable(hold) and hold():
            return
        result = self.session.choose(option)
        if result.save_error:
            save_failed(self, result.save_error)
        for title in result.injected:
            self.notify(
                f"{title} (in this turn's news)",
                title="From your instructor",
                severity="warning",
                timeout=8,
                markup=False,
            )
        self._aside = False
        self.refresh_board()
        card = self.query_one(CardPanel)
        card.call_after_refresh(card.scroll_home, animate=False)
        if self.session.over:
            self.dismiss(None)
        elif result.effects is None:
            self.after_choice(result.alerts)
        else:
            panel = self.query_one(EffectsPanel)
            panel.show_effects(result.effects, result.alerts, self.session.view.date)
            self._open_report(panel)

    def after_choice(self, alerts: tuple[Alert, ...]) -> None:
        """Show what must not be missed (if anything), in the card's place."""
        if alerts:
            panel = self.query_one(EffectsPanel)
            panel.show_alerts(alerts)
            self._open_report(panel)
        else:
            self._focus_options()

    def _focus_options(self) -> None:
        """Focus the options, unless they have it (Textual's focus() repaints the whole
        widget even then: a pick would redraw every option)."""
        box = self.query_one(OptionsBox)
        if self.focused is not box:
            box.focus(scroll_visible=False)

    def _open_report(self, panel: EffectsPanel) -> None:
        # The decision keeps the focus (a focus change restyles both widgets): the
        # screen's keys read and close what is shown, see check_action.
        self._report = True
        self.query_one(OptionsBox).held = True
        self._focus_options()  # chosen by a click, or with the advisors in focus
        self._show_lower()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While what the choice did is shown, Enter continues and the arrows scroll it;
        otherwise Enter confirms."""
        if action == "confirm":
            return not self._report
        if action in ("continue", "scroll_report"):
            return self._report
        return True

    def action_continue(self) -> None:
        """Back to the decision from what the choice did."""
        self.action_decision()

    def action_scroll_report(self, how: str) -> None:
        """Scroll what the choice did."""
        panel = self.query_one(EffectsPanel)
        getattr(panel, f"scroll_{how}")(animate=False)
