"""Pilot tests of the student UI: play through the real app with keys and clicks."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.pilot import Pilot

from game.content import load_scenario
from game.engine import new_game
from game.saves import load_save
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.screens.glossary import GlossaryScreen
from game.ui.screens.help import DETAIL, HelpScreen, key_name, key_sections
from game.ui.screens.load import LoadScreen
from game.ui.screens.quit import QuitScreen
from game.ui.screens.title import TitleScreen
from game.ui.screens.too_small import TooSmallScreen
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.card import OptionsBox
from game.ui.widgets.footer import Footer
from game.ui.widgets.meters import MeterList
from game.ui.widgets.prose import Prose

from .helpers import MINI
from .ui_helpers import async_test, read_on, reading, screen_lines, settle, start_game

SEED = 3


def make_app(saves: Path, seed: int | None = SEED, lens: str | None = None) -> OffRampApp:
    """The app on the mini scenario with a saves folder."""
    return OffRampApp(MINI, saves, seed=seed, lens=lens)


async def choose(pilot: Pilot[int], number: int) -> None:
    """Pick an option by number, confirm, and close what the choice did."""
    await pilot.press(str(number), "enter")
    await pilot.pause()
    await read_on(pilot)


def game_file(folder: Path, but: str = "") -> Path:
    """The one game file in a save folder (besides ``but``)."""
    (path,) = [p for p in folder.glob("*.toml") if p.name != but]
    return path


def footer_keys(app: OffRampApp) -> set[str]:
    """The keys the current screen's footer shows."""
    return {key.display for key in app.screen.query_one(Footer).keys}


def app_session(app: OffRampApp) -> Session:
    """The session in play (asserted present)."""
    assert app.session is not None
    return app.session


class TestStart:
    """The title screen leads to a new game through the dialog and the briefing."""

    @async_test
    async def test_title_then_new_game(self, tmp_path: Path) -> None:
        """n opens the dialog; starting shows the briefing, then turn one."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, TitleScreen)
            await start_game(pilot)
            session = app_session(app)
            assert session.state.seed == SEED
            assert session.state.lens_hidden
            assert session.state.turn == 1
            assert game_file(tmp_path).name == f"mini-seed{SEED}.toml"

    @async_test
    async def test_chosen_lens_is_not_hidden(self, tmp_path: Path) -> None:
        """Choosing a lens in the dialog plays under it, named."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot, lens_down=2)
            state = app_session(app).state
            assert state.lens == "dovish"
            assert not state.lens_hidden

    @async_test
    async def test_hidden_lens_is_not_named_in_briefing(self, tmp_path: Path) -> None:
        """The briefing describes every lens but does not say which one is in force."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await pilot.press("ctrl+s")
            await pilot.pause()
            text = app.screen.query_one("#briefing-text", Prose).plain
            assert "hidden" in text
            assert "In this game the lens is hidden" in text
            assert "In this game the lens is Hawkish" not in text

    @async_test
    async def test_title_menu_by_arrows(self, tmp_path: Path) -> None:
        """The title menu also works with arrows and Enter."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, LoadScreen)

    @async_test
    async def test_continue_disabled_without_autosave(self, tmp_path: Path) -> None:
        """Continue says there is no autosave rather than failing."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)
            assert app.session is None


class TestTurn:
    """Number keys pick, Enter confirms, each turn autosaves and the board follows."""

    @async_test
    async def test_pick_then_confirm(self, tmp_path: Path) -> None:
        """1 picks without choosing; Enter chooses and the turn advances."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("1")
            await pilot.pause()
            assert app.screen.query_one(OptionsBox).picked == 0
            assert app_session(app).state.turn == 1
            await choose(pilot, 1)
            session = app_session(app)
            assert session.state.turn == 2
            assert session.log[-1].option == "Push hard"

    @async_test
    async def test_enter_without_pick_does_nothing(self, tmp_path: Path) -> None:
        """Enter before picking warns and keeps the turn."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("enter")
            await pilot.pause()
            assert app_session(app).state.turn == 1

    @async_test
    async def test_click_picks_and_second_click_confirms(self, tmp_path: Path) -> None:
        """The mouse works: one click picks an option, a second click chooses it."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            box = app.screen.query_one(OptionsBox)
            second = next(y for y, (i, _) in enumerate(box.option_lines(box.size.width)) if i == 1)
            await pilot.click(OptionsBox, offset=(5, second))
            await pilot.pause()
            assert box.picked == 1
            assert app_session(app).state.turn == 1
            await pilot.click(OptionsBox, offset=(5, second))
            await pilot.pause()
            assert app_session(app).state.turn == 2

    @async_test
    async def test_autosave_matches_state(self, tmp_path: Path) -> None:
        """After each turn the autosave holds exactly the current state."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 2)
            await choose(pilot, 1)
            state = app_session(app).state
            saved = load_save(game_file(tmp_path), scenario=app.scenario).state
            ids = tuple(m.id for m in app.scenario.meters)
            assert saved.to_dict(ids) == state.to_dict(ids)
            assert saved.log == state.log

    @async_test
    async def test_meters_show_changes_in_text(self, tmp_path: Path) -> None:
        """Changes since last turn are written with arrows and signs, not colour."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 1)
            meters = app.screen.query_one(MeterList)
            text = meters.text_of("stability")
            assert "▼−" in text
            ladder = app.screen.query_one("#ladder", Prose).plain
            assert "▲+1" in ladder and "Tense" in ladder
            morale = meters.text_of("morale")
            assert "≈" in morale and "–" in morale

    @async_test
    async def test_new_rung_is_announced(self, tmp_path: Path) -> None:
        """Climbing a rung is announced in what the choice did, not only in the log."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("1", "enter")
            await pilot.pause()
            panel = reading(app)
            assert panel is not None
            assert "Escalation up" in panel.plain

    @async_test
    async def test_log_has_every_change_with_its_cause(self, tmp_path: Path) -> None:
        """The news & log panel lists each change and what caused it."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 1)
            await pilot.press("n")
            await pilot.pause()  # the news pane is built the first time it is shown
            log = app.screen.query_one("#news-body", Prose).plain
            assert "Stability 50 → 35" in log and "[Push hard]" in log
            assert "Pressure bites" in log

    @async_test
    async def test_why_shows_quotes_and_reasons(self, tmp_path: Path) -> None:
        """w shows why each effect would happen."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("w")
            await pilot.pause()
            text = app.screen.query_one("#advisors Prose", Prose).plain
            assert "Why would this happen?" in text and "Pressure bites" in text
            assert "Essay A (a)" in text and "¶2" in text

    @async_test
    async def test_named_save(self, tmp_path: Path) -> None:
        """s writes a named save beside the autosave."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("s")
            await pilot.pause()
            assert (tmp_path / "mini-seed3-turn01.toml").exists()


class TestEvents:
    """An event's own choice is the card, marked as an event; its answer is a decision."""

    @async_test
    async def test_event_on_the_card_and_answer(self, tmp_path: Path) -> None:
        """A scheduled event with options is the next decision, shown on the card as an
        event; picking and confirming an option takes it."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            scenario = app.scenario
            state = new_game(scenario, SEED, "dovish", schedule={2: ["summit"]})
            app.session = Session(scenario, state, tmp_path)
            app.show_game()
            await pilot.pause()
            await choose(pilot, 2)
            assert isinstance(app.screen, TurnScreen)
            card = app.screen.query_one("#card")
            title = Content.from_markup(str(card.border_title)).plain
            assert title == "‼ EVENT — your decision: Summit offer"
            assert card.has_class("-event")
            await choose(pilot, 1)
            session = app_session(app)
            assert session.state.log[-1].id == "summit"
            assert session.state.log[-1].option == "go"
            assert not app.screen.query_one("#card").has_class("-event")

    @async_test
    async def test_the_pick_keys_follow_the_options(self, tmp_path: Path) -> None:
        """The footer says 1–2 over two options, not 1–4, and so does the card's hint."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            scenario = app.scenario
            state = new_game(scenario, SEED, "dovish", schedule={2: ["summit"]})
            app.session = Session(scenario, state, tmp_path)
            app.show_game()
            await pilot.pause()
            assert "1–2" in footer_keys(app) and "1-4" not in footer_keys(app)
            await choose(pilot, 2)
            assert app.screen.query_one("#card").has_class("-event")
            assert "1–2" in footer_keys(app)
            assert "Pick an option: 1–2" in "\n".join(screen_lines(app))


class TestWholeGame:
    """A whole game through the UI reaches the debrief, which exports to Markdown."""

    @async_test
    async def test_play_to_debrief_and_export(self, tmp_path: Path) -> None:
        """Playing 'Wait' every turn runs to the turn limit and the debrief."""
        from game.ui.screens.debrief import DebriefScreen

        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            for _ in range(20):
                if isinstance(app.screen, DebriefScreen):
                    break
                await choose(pilot, 2)
            assert isinstance(app.screen, DebriefScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen.debrief is not None
            text = app.screen.query_one("#debrief-ending", Prose).plain
            assert app.screen.debrief.ending_title in text
            await pilot.press("e")
            await pilot.pause()
            exported = tmp_path / f"debrief-{SEED}.md"
            assert exported.exists()
            assert app.screen.debrief.ending_title in exported.read_text(encoding="utf-8")
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)


class TestSaveAndResume:
    """Quit and continue resume exactly the same state; broken saves are reported."""

    @async_test
    async def test_quit_then_continue(self, tmp_path: Path) -> None:
        """q quits at once when saved; Continue in a new app resumes the same state."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 1)
            await choose(pilot, 2)
            before = app_session(app).state
            await pilot.press("q")
            await pilot.pause()
        assert app.return_value == 0
        again = make_app(tmp_path, seed=None)
        async with again.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(again.screen, TurnScreen)
            after = app_session(again).state
            ids = tuple(m.id for m in again.scenario.meters)
            assert after.to_dict(ids) == before.to_dict(ids)
            assert after.log == before.log
            assert len(app_session(again).log) == 2

    @async_test
    async def test_broken_save_is_reported_and_untouched(self, tmp_path: Path) -> None:
        """The load screen marks an unreadable save with its reason and leaves it be."""
        broken = tmp_path / "broken.toml"
        broken.write_bytes(b'format = "offramp-save"\nversion = 1\nthis is not toml\n')
        before = broken.read_bytes()
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 2)
            app.go_title()
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LoadScreen)
            rows = {row.path.name: row for row in screen.rows}
            assert rows["broken.toml"].loaded is None
            assert "TOML" in rows["broken.toml"].error
            own = game_file(tmp_path, but="broken.toml").name
            assert rows[own].loaded is not None
            # Choosing the broken save keeps the load screen and reports the error.
            index = [r.path.name for r in screen.rows].index("broken.toml")
            screen.query_one("#saves").highlighted = index  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LoadScreen)
            # The good one loads.
            index = [r.path.name for r in screen.rows].index(own)
            screen.query_one("#saves").highlighted = index  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen)
        assert broken.read_bytes() == before

    @pytest.mark.skipif(
        hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere"
    )
    @async_test
    async def test_unwritable_folder_notifies(self, tmp_path: Path) -> None:
        """A save folder that cannot be written gives a notification, and q asks first."""
        saves = tmp_path / "ro"
        saves.mkdir()
        saves.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            app = make_app(saves)
            async with app.run_test(size=(80, 24)) as pilot:
                await start_game(pilot)
                await choose(pilot, 2)
                assert app_session(app).state.turn == 2
                assert not app_session(app).on_disk
                assert any("Could not save" in n.title for n in app._notifications)
                await pilot.press("q")
                await pilot.pause()
                assert isinstance(app.screen, QuitScreen)
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, TurnScreen)
        finally:
            saves.chmod(stat.S_IRWXU)

    @async_test
    async def test_unwritable_folder_as_file(self, tmp_path: Path) -> None:
        """A saves 'folder' that is a file (unwritable even for root) never crashes."""
        saves = tmp_path / "not-a-folder"
        saves.write_text("x", encoding="utf-8")
        app = make_app(saves)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 2)
            assert app_session(app).state.turn == 2
            assert not app_session(app).on_disk
            assert any("Could not save" in n.title for n in app._notifications)
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen)
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen)
            await pilot.press("y")
            await pilot.pause()
        assert app.return_value == 0


class TestAnywhere:
    """Help, glossary, palette, themes and odd terminal sizes work on any screen."""

    @async_test
    async def test_help_and_glossary_from_turn(self, tmp_path: Path) -> None:
        """? shows help; g opens the glossary; Escape returns."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            shown = str(app.screen.query_one("#help-text").render())
            assert "Ctrl+R" in shown and "restart this game" in shown
            await pilot.press("escape")
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, GlossaryScreen)
            text = str(app.screen.query_one("#glossary-text").render())
            assert "The escalation ladder." in text
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen)

    @async_test
    async def test_glossary_search_and_look_up(self, tmp_path: Path) -> None:
        """Searching filters the terms; app.look_up opens an entry (as a clicked term does)."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("g")
            await pilot.pause()
            await pilot.press("z", "z", "z")
            await pilot.pause()
            text = str(app.screen.query_one("#glossary-text").render())
            assert "Nothing matches" in text
            await pilot.press("escape")
            await app.run_action("app.look_up(0)")
            await pilot.pause()
            assert isinstance(app.screen, GlossaryScreen)
            assert "Ladder" in str(app.screen.query_one("#glossary-text").render())

    @async_test
    async def test_click_on_term_opens_glossary(self, tmp_path: Path) -> None:
        """A glossary term in a card's text is a link: clicking it opens its entry."""
        import shutil

        scenario_dir = tmp_path / "mini"
        shutil.copytree(MINI, scenario_dir)
        toml = scenario_dir / "scenario.toml"
        text = toml.read_text(encoding="utf-8").replace("Push or wait?", "Up the ladder?")
        toml.write_text(text, encoding="utf-8")
        app = OffRampApp(scenario_dir, tmp_path / "saves", seed=SEED)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.click("#card-text", offset=(8, 0))
            await pilot.pause()
            assert isinstance(app.screen, GlossaryScreen)
            assert "The escalation ladder." in str(app.screen.query_one("#glossary-text").render())

    @async_test
    async def test_palette_lists_screen_actions(self, tmp_path: Path) -> None:
        """Every key binding of the screen is a command in the palette."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            titles = {c.title for c in app.get_system_commands(app.screen)}
            for expected in (
                "Save now and keep a copy of this turn",
                "Pick option 3",
                "Keys and how to play",
            ):
                assert expected in titles
            assert "Look up a term" in titles

    @async_test
    async def test_light_theme(self, tmp_path: Path) -> None:
        """F2 switches between light and dark without trouble."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            first = app.theme
            await pilot.press("f2")
            await pilot.pause()
            assert app.theme != first
            await choose(pilot, 1)
            assert app_session(app).state.turn == 2

    @async_test
    async def test_too_small_then_enlarged(self, tmp_path: Path) -> None:
        """Below 80×24 a notice covers the game; enlarging brings the game back."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await pilot.press("2")
            await pilot.resize_terminal(100, 30)
            await pilot.pause(0.1)
            assert app.screen.query_one(OptionsBox).picked == 1  # a pick survives a resize
            await pilot.resize_terminal(60, 20)
            await pilot.pause(0.1)
            assert isinstance(app.screen, TooSmallScreen)
            await pilot.press("1", "enter")
            await pilot.resize_terminal(40, 10)
            await pilot.pause(0.1)
            assert isinstance(app.screen, TooSmallScreen)
            await pilot.resize_terminal(120, 40)
            await pilot.pause(0.1)
            assert isinstance(app.screen, TurnScreen)
            assert app_session(app).state.turn == 1

    @async_test
    async def test_resizing_never_crashes(self, tmp_path: Path) -> None:
        """Many sizes in a row, including tiny ones, leave a working game."""
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            for w, h in [(200, 60), (81, 25), (20, 5), (1, 1), (79, 24), (80, 23), (100, 30)]:
                await pilot.resize_terminal(w, h)
                await pilot.pause(0.05)
            await pilot.pause(0.1)
            assert isinstance(app.screen, TurnScreen)
            await choose(pilot, 2)
            assert app_session(app).state.turn == 2


class TestHelpKeys:
    """The help lists every key the app binds, read from the bindings themselves."""

    def test_every_app_binding_is_listed(self) -> None:
        everywhere = dict(key_sections(OffRampApp))["Everywhere"]
        keys = [key for line, _ in everywhere for key in line.split(" / ")]
        for binding in Binding.make_bindings([*OffRampApp.BINDINGS, *App.BINDINGS]):
            if not binding.system:
                assert key_name(binding.key) in keys, binding
        assert ("Ctrl+R", DETAIL["restart_on_content"]) in everywhere

    def test_a_new_binding_is_listed_without_editing_the_help(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        extra = Binding("ctrl+y", "yank", "Yank", tooltip="Yank the rope")
        monkeypatch.setattr(OffRampApp, "BINDINGS", [*OffRampApp.BINDINGS, extra])
        zoom = Binding("z", "zoom", "Zoom")
        monkeypatch.setattr(TurnScreen, "BINDINGS", [*TurnScreen.BINDINGS, zoom])
        sections = dict(key_sections(OffRampApp))
        assert ("Ctrl+Y", "Yank the rope") in sections["Everywhere"]
        assert ("z", "Zoom") in sections["During a turn"]


def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make OffRampApp.run headless, so run_app can run in a test."""
    from textual.app import App

    def run(self: App[int], **kwargs: Any) -> int | None:
        return App.run(self, headless=True, size=(80, 24))

    monkeypatch.setattr(OffRampApp, "run", run)


def test_content_error_ends_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken scenario ends the app at once; run_app raises its ContentError for the
    command to print every problem and exit 2."""
    from game.content import ContentError
    from game.ui.app import run_app

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "scenario.toml").write_text("[scenario]\nid = 3\n", encoding="utf-8")
    headless(monkeypatch)
    with pytest.raises(ContentError):
        run_app(scenario_dir=tmp_path / "bad", saves=tmp_path, seed=1, lens=None)


def test_cli_prints_problems_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`offramp play` on broken content prints the problems and exits with status 2."""
    from game.cli import main

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "scenario.toml").write_text("[scenario]\nid = 3\n", encoding="utf-8")
    headless(monkeypatch)
    status = main(["play", "--scenario", str(tmp_path / "bad"), "--saves", str(tmp_path)])
    assert status == 2
    assert "scenario.toml" in capsys.readouterr().err


def test_unknown_lens_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run_app refuses an unknown --lens once the scenario has loaded."""
    from game.engine import EngineError
    from game.ui.app import run_app

    headless(monkeypatch)
    with pytest.raises(EngineError, match="unknown lens"):
        run_app(scenario_dir=MINI, saves=tmp_path, seed=1, lens="nope")


def test_scenario_loads_once() -> None:
    """The fixture scenario loads (guards the tests above)."""
    assert load_scenario(MINI).id == "mini"


class TestNewBesideUnfinished:
    """New game while a game is unfinished says so and asks; the old game stays."""

    @async_test
    async def test_asks_then_starts_beside_it(self, tmp_path: Path) -> None:
        """Escape keeps the title and writes nothing; Enter goes on to a second file."""
        from game.ui.screens.confirm import ConfirmScreen
        from game.ui.screens.new_game import NewGameScreen

        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_game(pilot)
            await choose(pilot, 2)
            first = game_file(tmp_path)
            before = first.read_bytes()
            app.go_title()
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "turn 2 of 6" in app.screen.text and "stays saved" in app.screen.text
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, NewGameScreen)
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert first.read_bytes() == before
        assert len(list(tmp_path.glob("*.toml"))) == 2
        assert load_save(first, scenario_dir=MINI).state.turn == 2


def test_help_says_what_s_does() -> None:
    """The help's line for `s` and the turn screen's binding describe the same thing."""
    import inspect

    from game.ui.screens import help as help_screen

    save = next(b for b in TurnScreen.BINDINGS if getattr(b, "key", "") == "s")
    assert "keep a copy of this turn" in getattr(save, "tooltip", "").lower()
    assert "keep a copy of this turn" in inspect.getsource(help_screen)
