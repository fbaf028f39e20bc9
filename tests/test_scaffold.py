"""`offramp new`: a minimal scenario that validates and plays, with clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.content import load_scenario
from game.content.scaffold import ScaffoldError, new_scenario
from game.engine import choices, choose, is_over, new_game


def test_new_scenario_validates_and_plays_to_an_ending(tmp_path: Path) -> None:
    folder = new_scenario("border_crisis", tmp_path)
    scenario = load_scenario(folder)
    assert scenario.id == "border_crisis" and scenario.info.title == "Border Crisis"
    assert all("#" in p.read_text() for p in folder.glob("*.toml")), "template lost comments"
    for lens in scenario.lens:
        state = new_game(scenario, 1, lens)
        while not is_over(state):
            state, _ = choose(scenario, state, choices(scenario, state)[-1].id)
        assert state.ending in scenario.ending


@pytest.mark.parametrize("name", ["Bad Name", "", "../escape", "x" * 65])
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ScaffoldError, match="not a valid scenario id"):
        new_scenario(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.toml").write_text("# my work")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_scenario("taken", tmp_path)
    assert (tmp_path / "taken" / "mine.toml").read_text() == "# my work"
