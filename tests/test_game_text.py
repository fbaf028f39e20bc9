"""Game text follows the game: placeholders ({months}, {duration}, ...) filled in for the
game's real turn limit (an exercise's too), checked when content loads; the pick keys
follow the number of options."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from game.classroom.exercise import load_exercise
from game.content import ContentError, load_scenario
from game.content.lint import check_scenario
from game.content.text import PLACEHOLDERS, duration, fill, placeholders
from game.debrief import build_debrief
from game.engine import choices, choose, is_over, new_game
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.screens.briefing import briefing_doc

from .helpers import MINI, ROOT, SHIPPED, writable_copy
from .helpers import edit_toml as edit
from .ui_helpers import async_test, settle


class TestFill:
    @pytest.mark.parametrize(
        ("months", "words"),
        [
            (24, "two years"),
            (12, "one year"),
            (10, "ten months"),
            (1, "one month"),
            (14, "14 months"),
            (36, "three years"),
            (132, "11 years"),
        ],
    )
    def test_duration(self, months: int, words: str) -> None:
        assert duration(months) == words

    def test_every_placeholder_is_filled(self) -> None:
        text = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        assert fill(text, 10, 1) == "10 10 ten months Ten months"
        assert fill(text, 8, 3) == "8 24 two years Two years"

    def test_braces_and_unknown_names(self) -> None:
        assert fill("{{months}} {nope} { } {}", 4, 1) == "{months} {nope} { } {}"
        assert placeholders("{{x}} {months} {nope}") == ["months", "nope"]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return writable_copy(MINI, tmp_path)


class TestLoading:
    def test_an_unknown_placeholder_is_an_error_where_it_is(self, mini: Path) -> None:
        edit(mini, 'text = "Nothing changed."', 'text = "After {monhts} months, nothing changed."')
        with pytest.raises(ContentError) as info:
            load_scenario(mini)
        (problem,) = info.value.problems
        text = str(problem)
        assert "scenario.toml:114: endings[0].text: unknown placeholder {monhts}" in text
        assert "(did you mean {months}?)" in text and "{turn_limit}" in text

    def test_known_placeholders_load(self, mini: Path) -> None:
        edit(mini, 'text = "Nothing changed."', 'text = "{Duration} on, nothing changed."')
        assert load_scenario(mini).ending["stalemate"].text == "{Duration} on, nothing changed."

    def test_a_placeholder_the_game_does_not_fill_warns(self, mini: Path) -> None:
        edit(mini, 'text = "Push or wait?"', 'text = "Push or wait, {months} months in?"')
        found = [str(p) for p in check_scenario(mini)[1] if p.severity == "warning"]
        (warning,) = [w for w in found if "not filled in" in w]
        assert "cards[0].text: warning: {months} is not filled in here" in warning

    def test_the_shipped_scenario_says_no_fixed_length(self) -> None:
        """The texts that once said '24 months' and 'Two years on' use placeholders."""
        scenario = load_scenario(SHIPPED)
        texts = [scenario.info.summary, *(s.text for s in scenario.briefing.sections)]
        texts += [e.text for e in scenario.endings]
        for text in texts:
            assert "24 months" not in text and "two years" not in text.lower()
        assert "{Duration} on" in scenario.ending["frozen_conflict"].text


class TestTheExercise:
    """Under the seminar exercise's 14 turns, the shipped game says 14 months."""

    def test_the_briefing_follows_the_exercise(self, tmp_path: Path) -> None:
        exercise = load_exercise(ROOT / "content" / "exercises" / "seminar.toml")
        assert exercise.turn_limit == 14
        session, _ = Session.join(exercise, tmp_path, "Ana")
        text = briefing_doc(session).plain()
        assert "The game lasts at most 14 months." in text
        assert "24 months" not in text and "two years" not in text

    @async_test
    async def test_the_title_summary_follows_the_exercise(self, tmp_path: Path) -> None:
        folder = writable_copy(MINI, tmp_path)
        edit(
            folder,
            'title = "Mini crisis"\n',
            'title = "Mini crisis"\nsummary = "A crisis of {duration}."\n',
        )
        path = tmp_path / "class.toml"
        path.write_text(
            "[exercise]\n"
            'title = "T"\nscenario = "mini"\nseed = 1\nturn_limit = 3\nclass_code = "c1"\n'
        )
        app = OffRampApp(folder, tmp_path / "saves", exercise=load_exercise(path))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            summary = str(app.screen.query_one("#scenario-summary", Static).render())
            assert summary == "A crisis of three months."

    @pytest.mark.parametrize(("limit", "opening"), [(10, "Ten months on"), (24, "Two years on")])
    def test_the_ending_follows_the_turn_limit(self, limit: int, opening: str) -> None:
        scenario = load_scenario(SHIPPED)
        for seed in range(40):
            state = new_game(scenario, seed, turn_limit=limit)
            while not is_over(state):
                state, _ = choose(scenario, state, choices(scenario, state)[0].id)
            if state.ending == "frozen_conflict":
                break
        assert state.ending == "frozen_conflict"
        text = build_debrief(scenario, state).ending_text
        assert text.startswith(f"{opening}, the front has barely moved.")
