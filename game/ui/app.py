"""The Off-Ramp Textual app: global keys, the screen flow and the game session.

Screens live in :mod:`game.ui.screens`, widgets in :mod:`game.ui.widgets`; the app wires
them together and owns the :class:`~game.session.Session` of the game in play.

Startup is kept lean: the title screen is drawn first, and the scenario (pydantic
validation of every TOML file) loads in a worker thread behind it.  Content that does
not load ends the app at once; :func:`run_app` then raises the ContentError, so the
command prints every problem and exits 2.  Heavy modules (saves, the debrief) are
imported only when first needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.screen import Screen
from textual.signal import Signal

from game.ui.notices import save_failed
from game.ui.screens.paused import PausedScreen
from game.ui.screens.title import TitleScreen
from game.ui.screens.too_small import TooSmallScreen
from game.ui.text import pick_keys

if TYPE_CHECKING:
    from game.classroom.exercise import Exercise
    from game.content.scenario import Scenario
    from game.content.watch import Reload, ScenarioWatcher
    from game.saves import LoadedSave
    from game.session import ClassNews, Session
    from game.ui.screens.new_game import NewGame

MIN_WIDTH = 80
MIN_HEIGHT = 24
WATCH_INTERVAL = 1.0
"""Seconds between two looks at the scenario's files under --watch."""
CLASS_INTERVAL = 1.0
"""Seconds between two looks (a ``stat`` of each control file) at the instructor's
console, in an exercise."""


class OffRampApp(App[int]):
    """The student UI: title, new game, briefing, turns, debrief."""

    CSS_PATH = ["app.tcss", "screens/title.tcss"]  # the title is the first, default screen
    TITLE = "Off-Ramp"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Keys and how to play"),
        Binding("g", "glossary", "Glossary", tooltip="Look up a term"),
        Binding("q", "quit_game", "Quit", tooltip="Quit (asks if the game is not saved)"),
        Binding("f2", "toggle_dark", "Light/dark", show=False, tooltip="Switch light/dark"),
        Binding(
            "ctrl+r",
            "restart_on_content",
            "Restart",
            tooltip="Start this game again, same seed and lens, on the current content (--watch)",
        ),
    ]
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (116, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [
        (0, "-short"),
        (34, "-tall"),
    ]

    def __init__(
        self,
        scenario_dir: Path,
        saves: Path,
        seed: int | None = None,
        lens: str | None = None,
        *,
        scenario: Scenario | None = None,
        exercise: Exercise | None = None,
        watch: bool = False,
        player: str | None = None,
    ) -> None:
        """The app; the scenario loads once the title is drawn, unless given already.

        With an ``exercise`` (loaded and checked already), the student joins it: the
        scenario, seed, lens and deck are the instructor's, and the save goes to the
        class's folder under ``saves``; ``player`` is the student's name (``--name``),
        asked when not given.  With ``watch``, the scenario's files are polled and edits
        reloaded (see :meth:`poll_content`)."""
        super().__init__()
        self.scenario_dir = Path(scenario_dir)
        self.exercise = exercise
        self.player = player
        self._scenario = scenario if exercise is None else exercise.scenario
        self.saves = Path(saves)
        self.seed = seed
        self.lens = lens
        self.session: Session | None = None
        self.startup_error: Exception | None = None
        """Why the app could not start (bad content, unknown lens); run_app raises it."""
        self.watcher: ScenarioWatcher | None = None
        if watch:
            from game.content.watch import ScenarioWatcher

            self.watcher = ScenarioWatcher(self.scenario_dir)
        self.reloaded: Signal[Session] = Signal(self, "reloaded")
        """Published when the game in play was replayed on edited content (hot reload)."""
        self._content_problems = False
        """Whether a notice of broken edited content is showing (a fixed edit clears it)."""
        self._edited: dict[str, str] = {}
        """Fingerprint -> time (HH:MM) of content reloaded from an edit."""
        self._class_stamp: tuple[int, ...] | None = None
        """The control files as last read (see :meth:`poll_class`)."""

    @property
    def ready(self) -> bool:
        """Whether the scenario has loaded."""
        return self._scenario is not None

    @property
    def scenario(self) -> Scenario:
        """The scenario the app was started with (only once :attr:`ready`)."""
        if self._scenario is None:
            raise RuntimeError("the scenario has not loaded yet")
        return self._scenario

    # --- screens ------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        info = self.exercise.info if self.exercise is not None else None
        return TitleScreen(f"{info.title} (class {info.class_code})" if info else None)

    def on_mount(self) -> None:
        self._check_size(self.size)
        if self._scenario is None:
            # Let the first frames out before the loading competes for the interpreter.
            self.call_after_refresh(self.set_timer, 0.1, self.load_content)
        else:
            self.call_after_refresh(self._loaded, self._scenario)
        if self.watcher is not None:
            self.set_interval(WATCH_INTERVAL, self.poll_content, name="watch content")
        if self.exercise is not None:
            self.set_interval(CLASS_INTERVAL, self.poll_class, name="class control")

    # --- the instructor's console (an exercise) -----------------------------------------

    def poll_class(self) -> None:
        """Heed the instructor's console when its files changed (a stat each, no read
        otherwise); a finished game still gets the messages, over its debrief."""
        session = self.session
        if session is None or session.control is None:
            return
        stamp = session.control.stamp()
        if stamp != self._class_stamp:
            self._class_stamp = stamp
            self.class_news(session.heed_class())

    def hold_for_class(self) -> bool:
        """Heed the console before a choice; whether the choice must wait (the class is
        paused or has ended)."""
        session = self.session
        if session is None or session.control is None:
            return False
        self._class_stamp = session.control.stamp()
        news = session.heed_class()
        self.class_news(news)
        return news.paused or news.ended

    def class_news(self, news: ClassNews) -> None:
        """Show what the console said: each message as a notification, the pause over
        the game until the class resumes, the end as the debrief."""
        for message in news.messages:
            self.notify(message, title="Message from your instructor", timeout=20, markup=False)
        if news.save_error:
            save_failed(self, news.save_error)
        if news.ended:
            self.show_debrief()
            return
        held = next((s for s in self.screen_stack if isinstance(s, PausedScreen)), None)
        over = self.session is None or self.session.over
        if news.paused and held is None and not over:
            self.push_screen(PausedScreen())
        elif not news.paused and held is not None:
            if self.screen is held:
                held.dismiss(None)
            else:  # a notice (too small) covers it: it goes when uncovered
                held.resumed = True

    # --- hot reload (offramp play --watch) ----------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def poll_content(self) -> None:
        """Look for edited scenario files; reload and check them off the UI thread."""
        if self.watcher is None or not self.ready:
            return
        reload = self.watcher.poll()
        if reload is not None:
            self.call_from_thread(self.content_reloaded, reload)

    def content_reloaded(self, reload: Reload) -> None:
        """Use edited content that checks out; show the problems of content that does not
        and go on with the last good content."""
        folder = self.scenario_dir
        if reload.error is None and self._content_problems:
            # the notice of the broken edit would outlive its fix (errors stay up 30 s)
            self.clear_notifications()
            self._content_problems = False
        if reload.error is not None:
            self._content_problems = True
            problems = [str(p) for p in reload.error.problems]
            shown = "\n".join(problems[:8])
            more = f"\n… and {len(problems) - 8} more" if len(problems) > 8 else ""
            self.notify(
                f"{shown}{more}\nPlay goes on with the last good content.",
                title=f"Edited content in {folder} has {len(problems)} problem"
                + ("s" if len(problems) != 1 else ""),
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        scenario = reload.scenario
        assert scenario is not None
        self._scenario = scenario
        from datetime import datetime

        self._edited[scenario.fingerprint] = datetime.now().strftime("%H:%M")
        session = self.session
        if session is None or session.over:
            self.notify(f"Reloaded {folder}.", title="Content reloaded", markup=False)
            return
        from game.engine import EngineError

        try:
            session.rebase(scenario)
        except EngineError as exc:
            self.notify(
                f"{exc}\nThis game goes on with the content it started with; Ctrl+R starts "
                "it again on the edited content.",
                title="Content reloaded",
                severity="warning",
                timeout=20,
                markup=False,
            )
            return
        error = session.save()
        if error:
            save_failed(self, error)
        self.notify(
            f"Reloaded {folder}; this game replayed on the edited content.",
            title="Content reloaded",
            markup=False,
        )
        # A dialog above the game belongs to the old content, so it goes; the turn screen
        # redraws in place when the signal reaches it.
        while len(self.screen_stack) > 2 and self.screen.is_modal:
            self.pop_screen()
        self.reloaded.publish(session)

    def content_label(self, scenario: Scenario) -> str | None:
        """Under --watch, which content a game runs on, for the status line: the folder
        and its fingerprint's first characters, with the time of the edit it came from
        ("content: mini 3fa9c1 (edited 14:02)"); None otherwise."""
        if self.watcher is None:
            return None
        label = f"content: {self.scenario_dir.name} {scenario.fingerprint[:6]}"
        edited = self._edited.get(scenario.fingerprint)
        return f"{label} (edited {edited})" if edited else label

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer shows it; the pick keys as many as the options to pick
        from ('1–3' over three): those of the topmost screen that has options (see
        ``option_count`` on the turn screen)."""
        if binding.action == "pick(1)":
            for screen in reversed(self.screen_stack):
                count = getattr(screen, "option_count", None)
                if count:
                    return pick_keys(count)
        return super().get_key_display(binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Restart is offered only under --watch, in a free game in play."""
        if action == "restart_on_content":
            return self.watcher is not None and self.session is not None and self.exercise is None
        return True

    def action_restart_on_content(self) -> None:
        """Start the game in play again from turn one, with its seed and lens, on the
        current content (the old game stays in its own save file)."""
        session = self.session
        if session is None or self.exercise is not None or self.watcher is None:
            return
        from game.session import Session

        setup = session.setup
        self.go_title()
        self.leave_game()
        self.play(Session.start(self.scenario, self.saves, setup), show_briefing=False)
        self.notify(
            f"Started again on {self.content_label(self.scenario)}.",
            title="New game, same seed",
            markup=False,
        )

    @work(thread=True, exit_on_error=False, group="content")
    def load_content(self) -> None:
        """Load and check the scenario off the UI thread."""
        from game.content import ContentError, load_scenario

        try:
            scenario = load_scenario(self.scenario_dir)
        except ContentError as exc:
            self.call_from_thread(self._failed, exc)
            return
        self.call_from_thread(self._loaded, scenario)

    def _loaded(self, scenario: Scenario) -> None:
        if self._scenario is not None and self._scenario is not scenario:
            return  # already loaded (start_new_game loads at once if asked early)
        if self.lens is not None and self.lens != "hidden" and self.lens not in scenario.lens:
            from game.engine import EngineError

            known = ", ".join(scenario.lens) or "none"
            self._failed(
                EngineError(f"unknown lens {self.lens!r} (this scenario has: {known}, or hidden)")
            )
            return
        self._scenario = scenario
        title = self.screen_stack[0] if self.screen_stack else None
        if isinstance(title, TitleScreen):
            limit = self.exercise.turn_limit if self.exercise is not None else None
            title.show_scenario(scenario, limit)
            title.show_continue(self.continue_note())

    def _failed(self, error: Exception) -> None:
        self.startup_error = error
        self.exit(2)

    def not_ready(self) -> bool:
        """True (and a word to the player) while the scenario is still loading."""
        if self.ready:
            return False
        self.notify("The scenario is still loading…", timeout=2)
        return True

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()  # the game may be opened again at once (tests, a relaunch)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        """Cover the app with a notice below the minimum size; remove it when enlarged."""
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        top = self.screen_stack[-1] if self.screen_stack else None
        if small and not isinstance(top, TooSmallScreen):
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif isinstance(top, TooSmallScreen):
            if small:
                top.show_size(size)
            else:
                self.pop_screen()

    @property
    def blocked(self) -> bool:
        """Whether the too-small notice or the instructor's pause covers the app (global
        keys do nothing then)."""
        return isinstance(self.screen, TooSmallScreen | PausedScreen)

    def go_title(self) -> None:
        """Back to the title screen (the bottom of the stack), saying what Continue resumes."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()
        if isinstance(self.screen, TitleScreen) and self.ready:
            self.screen.show_continue(self.continue_note())

    # --- the game -----------------------------------------------------------------

    def scenario_folders(self) -> list[Path]:
        """Scenario folders offered on the new-game dialog: the launch one first."""
        from game.content import CONTENT_ROOT

        folders = [self.scenario_dir]
        try:
            shipped = sorted(p for p in CONTENT_ROOT.iterdir() if p.is_dir())
        except OSError:
            shipped = []
        for folder in shipped:
            if folder.resolve() != self.scenario_dir.resolve() and any(folder.glob("*.toml")):
                folders.append(folder)
        return folders

    def on_title_screen_chosen(self, message: TitleScreen.Chosen) -> None:
        """New, Continue or Load on the title screen."""
        if self.not_ready():
            return
        if self.exercise is not None:
            self.join_exercise()
        elif message.item == "new":
            self.open_new_game()
        elif message.item == "continue":
            self.continue_latest()
        else:
            from game.ui.screens.load import LoadScreen

            self.push_screen(LoadScreen(self.saves, self.scenario), self._load_chosen)

    def open_new_game(self) -> None:
        """The new-game dialog; first, when a game is unfinished, a word that it stays
        saved and a question whether to start another."""
        unfinished = self.continue_note()
        if unfinished is None:
            self._new_game_dialog()
            return
        from game.ui.screens.confirm import ConfirmScreen

        self.push_screen(
            ConfirmScreen(
                "You have an unfinished game",
                f"Your game at {unfinished} stays saved: Continue on the title screen "
                "resumes it whenever you like.\n\nStart a new game beside it?",
                "New game",
            ),
            lambda yes: self._new_game_dialog() if yes else None,
        )

    def _new_game_dialog(self) -> None:
        from game.ui.screens.new_game import NewGameScreen

        self.push_screen(
            NewGameScreen(self.scenario, self.scenario_folders(), self.seed, self.lens),
            self._new_game_chosen,
        )

    def _new_game_chosen(self, chosen: NewGame | None) -> None:
        if chosen is not None:
            self.new_game(chosen.scenario, chosen.seed, chosen.lens)

    def _load_chosen(self, loaded: LoadedSave | None) -> None:
        if loaded is not None:
            self.resume(loaded)

    def new_game(
        self,
        scenario: Scenario,
        seed: int | None,
        lens: str | None,
        *,
        show_briefing: bool = True,
    ) -> None:
        """Start a game (``lens`` None or 'hidden' hides a lens drawn from the seed)."""
        from game.session import Session, free_setup

        self.play(Session.start(scenario, self.saves, free_setup(seed, lens)), show_briefing)

    def start_new_game(
        self,
        seed: int | None = None,
        lens: str | None = None,
        hidden: bool = True,
        show_briefing: bool = True,
    ) -> None:
        """Start a game on the app's scenario without the dialog (for scripts and benchmarks);
        loads the scenario now if it has not loaded yet."""
        if self._scenario is None:
            from game.content import load_scenario

            self._loaded(load_scenario(self.scenario_dir))
        self.new_game(self.scenario, seed, None if hidden else lens, show_briefing=show_briefing)

    def leave_game(self) -> None:
        """Let go of the game in play (saved every turn), so it can be opened again."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def play(self, session: Session, show_briefing: bool) -> None:
        """Make ``session`` the game in play: save it, then its briefing or its board."""
        if self.session is not session:
            self.leave_game()
            self._class_stamp = None  # its first look reads the console whatever it says
        self.session = session
        error = session.save()
        if error:
            save_failed(self, error)
        self.go_title()
        if show_briefing:
            from game.ui.screens.briefing import BriefingScreen

            self.push_screen(BriefingScreen(session, starting=True), self._briefed)
        else:
            self.show_game()

    def _briefed(self, _: None) -> None:
        self.go_title()
        self.show_game()

    def resume(self, loaded: LoadedSave) -> None:
        """Continue a loaded save where it stopped (or say why it cannot be)."""
        from game.saves import SaveError
        from game.session import Session

        self.leave_game()
        try:
            session = Session.resume(loaded, self.saves)
        except SaveError as exc:
            self.cannot_open(exc)
            return
        for warning in loaded.warnings:
            self.notify(f"Note: {warning}.", title="Save loaded", severity="warning", markup=False)
        self.play(session, show_briefing=False)

    def show_game(self) -> None:
        """The turn screen, or the debrief when the game is over."""
        assert self.session is not None
        if self.session.over:
            self.show_debrief()
            return
        from game.ui.screens.turn import TurnScreen

        self.push_screen(TurnScreen(self.session, self.reloaded), lambda _: self.show_debrief())

    def show_debrief(self) -> None:
        """Replace the game screens by the debrief."""
        assert self.session is not None
        from game.ui.screens.debrief import DebriefScreen

        self.go_title()
        self.push_screen(DebriefScreen(self.session, self.saves), self._debriefed)

    def _debriefed(self, then: str | None) -> None:
        self.go_title()
        if then == "new":
            self.open_new_game()

    def cannot_open(self, error: Exception) -> None:
        """Say why a game cannot be opened; its file is left as it is."""
        self.notify(
            f"{error}\nThe file was left as it is.",
            title="This game cannot be opened",
            severity="error",
            timeout=12,
            markup=False,
        )

    def join_exercise(self) -> None:
        """A class exercise: ask the student's name (if the exercise wants it), then
        resume their game in play or start theirs."""
        exercise = self.exercise
        assert exercise is not None
        if self.player:
            self._joined(self.player)
        elif exercise.info.ask_name:
            from game.ui.screens.name import NameScreen

            self.push_screen(
                NameScreen(exercise.info.title, exercise.info.class_code), self._joined
            )
        else:
            from game.session import anonymous_player

            self._joined(anonymous_player())

    def _joined(self, name: str | None) -> None:
        if name is None:
            return
        from game.saves import GameInUse, SaveError
        from game.session import Session

        assert self.exercise is not None
        self.leave_game()
        try:
            session, resumed = Session.join(self.exercise, self.saves, name)
        except GameInUse as exc:
            self.notify(
                f"{str(exc)[:1].upper()}{str(exc)[1:]}",
                title="This name is in use",
                severity="error",
                timeout=12,
                markup=False,
            )
            self.player = None  # a --name in use: ask for another
            self.join_exercise()  # the name again
            return
        except SaveError as exc:
            self.cannot_open(exc)
            return
        if resumed:
            self.notify(
                f"Welcome back, {session.player}: your game goes on.",
                title="Resumed",
                markup=False,
            )
        self.play(session, show_briefing=not resumed)

    def continue_latest(self) -> None:
        """Resume the latest unfinished game, or say clearly why not."""
        from game.saves import SaveError
        from game.session import Session

        self.leave_game()
        try:
            session = Session.continue_latest(self.scenario, self.saves)
        except SaveError as exc:
            self.cannot_open(exc)
            return
        if session is None:
            self.notify(
                f"No game to continue in {self.saves}/ yet.",
                title="Continue",
                severity="warning",
                markup=False,
            )
            return
        self.play(session, show_briefing=False)

    def continue_note(self) -> str | None:
        """What Continue resumes, in words (None: nothing)."""
        from game.saves import SaveError, latest_unfinished, read_save_document

        path = latest_unfinished(self.saves, self.session.path if self.session else None)
        if path is None:
            return None
        try:
            doc = read_save_document(path)
        except SaveError:
            return None
        from game.content import printable

        meta = doc.meta  # from a file: shown only once stripped of control characters
        lens = "hidden" if doc.lens_hidden else doc.lens
        where = " · ".join(x for x in (f"turn {meta.get('turn', '?')}", meta.get("date")) if x)
        return printable(f"{where} · seed {doc.seed} · lens {lens}")

    # --- global actions -------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys and how to play."""
        if self.blocked:
            return
        from game.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_glossary(self, index: int | None = None) -> None:
        """Open the glossary (at an entry, if given)."""
        if self.blocked or self.not_ready():
            return
        from game.ui.screens.glossary import GlossaryScreen

        if isinstance(self.screen, GlossaryScreen):
            if index is not None:
                self.screen.select(index)
            return
        scenario = self.session.scenario if self.session else self.scenario
        hint = getattr(self.screen, "glossary_hint", None)
        first = hint() if callable(hint) else []
        self.push_screen(GlossaryScreen(scenario, first=first, select=index))

    def action_look_up(self, index: int) -> None:
        """Open the glossary at a term (clicked in a text)."""
        self.action_glossary(index)

    def action_quit_game(self) -> None:
        """Quit, asking first when the game in play is not saved."""
        session = self.session
        if session is not None and not session.on_disk and not session.over:
            from game.ui.screens.quit import QuitScreen

            if not isinstance(self.screen, QuitScreen):
                self.push_screen(QuitScreen(session), self._quit_answer)
            return
        self.exit(0)

    def _quit_answer(self, quit_now: bool | None) -> None:
        if quit_now:
            self.exit(0)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: Textual's commands plus every key binding of the current screen."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            title = binding.tooltip or binding.description
            if not title or title in seen or binding.action in ("command_palette", "quit"):
                continue
            seen.add(title)
            shown = binding.key_display or self.get_key_display(binding) or key
            yield SystemCommand(
                title,
                f"Key: {shown}",
                partial(self.run_action, binding.action, active.node),
            )


def run_app(
    scenario_dir: Path,
    saves: Path,
    seed: int | None,
    lens: str | None,
    exercise: Exercise | None = None,
    watch: bool = False,
    player: str | None = None,
) -> int:
    """Run the app; return its exit status.

    Raises the ContentError of a scenario that does not load (or the EngineError of an
    unknown lens) once the app has closed, for the command to report.
    """
    app = OffRampApp(scenario_dir, saves, seed, lens, exercise=exercise, watch=watch, player=player)
    result = app.run()
    if app.startup_error is not None:
        raise app.startup_error
    session = app.session
    if session is not None and session.on_disk and not session.over:
        print(
            f"Game saved in {session.path}. "
            "Run the same command again and choose Continue to resume."
        )
    return result if isinstance(result, int) else 0
