"""Content is read strictly: wrong types, numbers out of range, nan, control characters,
odd files and bad names are each one clear `file:LINE: key.path: message`, never a
traceback and never a follow-on error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.content import ContentError, load_scenario
from game.content.exercise import load_exercise

from .conftest import MINI

PROBLEM = r"^.+\.toml:\d+: \S+: .+$"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini scenario."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "scenario.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(folder: Path, needle: str, name: str = "scenario.toml") -> int:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def problems(path: Path) -> list[str]:
    """Every problem of a scenario folder or an exercise file, as printed."""
    with pytest.raises(ContentError) as info:
        if path.is_dir():
            load_scenario(path)
        else:
            load_exercise(path)
    return [str(p) for p in info.value.problems]


def exercise(folder: Path, extra: str = "", **fields: str) -> Path:
    """An exercise file beside ``folder`` that plays it; ``fields`` override TOML values."""
    values = {
        "title": '"Test"',
        "scenario": f'"{folder.name}"',
        "seed": "7",
        "class_code": '"pols101"',
        "lens": '"hawkish"',
    }
    values.update(fields)
    body = "".join(f"{key} = {value}\n" for key, value in values.items())
    path = folder.parent / "exercise.toml"
    path.write_text(f"[exercise]\n{body}{extra}", encoding="utf-8")
    return path


def changed_line(folder: Path, old: str, new: str) -> int:
    """The line of the first line of ``new`` that ``old`` did not have."""
    return line_of(folder, next(ln for ln in new.splitlines() if ln not in old.splitlines()))


def assert_one(found: list[str], where: str, fragment: str) -> None:
    """Exactly one problem, at ``where`` (file:LINE: key), saying ``fragment``."""
    assert len(found) == 1, found
    assert where in found[0] and fragment in found[0], found


class TestStrictTypes:
    """A string is not a number, a bool is not a number, a string is not a bool."""

    @pytest.mark.parametrize(
        ("old", "new", "key", "fragment"),
        [
            (
                "start = 50\nbands",
                'start = "50"\nbands',
                "meters[0].start",
                "expected a whole number, found the string '50' (write it without quotes)",
            ),
            ("start = 50\nbands", "start = true\nbands", "meters[0].start", "found true"),
            (
                "cooldown = 0",
                'cooldown = 0\nonce = "yes"',
                "cards[0].once",
                "expected true or false, found the string 'yes'",
            ),
            ("add = -10", "add = -10.5", "cards[0].options[0].effects[0].add", "number -10.5"),
            (
                "chance = 0.5\neffects",
                'chance = "0.5"\neffects',
                "events[0].chance",
                "expected a number",
            ),
            ('title = "Pressure"', "title = 5", "cards[0].title", "expected a string in quotes"),
            ("priority = 5", "priority = 1979-01-01", "endings[2].priority", "a date or time"),
        ],
    )
    def test_wrong_type_is_one_located_problem(
        self, mini: Path, old: str, new: str, key: str, fragment: str
    ) -> None:
        edit(mini, old, new)
        line = changed_line(mini, old, new)
        assert_one(problems(mini), f"scenario.toml:{line}: {key}: ", fragment)

    def test_a_whole_number_is_still_a_decimal(self, mini: Path) -> None:
        """`chance = 1` means 1.0: where a decimal is meant, whole numbers stay welcome."""
        edit(mini, "chance = 0.5\neffects", "chance = 1\neffects")
        chance = load_scenario(mini).event["storm"].chance
        assert chance == 1.0 and type(chance) is float

    def test_exercise_seed_in_quotes(self, mini: Path) -> None:
        path = exercise(mini, seed='"2022"')
        line = line_of(path.parent, "seed", "exercise.toml")
        assert_one(problems(path), f"exercise.toml:{line}: exercise.seed: ", "the string '2022'")

    def test_exercise_bool_is_not_a_turn_limit(self, mini: Path) -> None:
        path = exercise(mini, turn_limit="true", ask_name='"no"')
        found = problems(path)
        assert any("exercise.turn_limit: expected a whole number, found true" in p for p in found)
        assert any("exercise.ask_name: expected true or false" in p for p in found)
        assert len(found) == 2, found


class TestFiniteNumbers:
    """nan and inf are refused wherever a decimal is read."""

    @pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
    def test_strategy_weight(self, mini: Path, value: str) -> None:
        (mini / "strategies.toml").write_text(
            f'[[strategies]]\nid = "odd"\ntags = {{ hawk = {value} }}\n', encoding="utf-8"
        )
        assert_one(problems(mini), "strategies.toml:3: strategies[0].tags.hawk: ", "finite number")

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("chance = 0.5\neffects", "chance = nan\neffects", "events[0].chance"),
            ("scale = 1.1", "scale = inf", "cards[1].options[1].effects[0].scale"),
            ("stability = 1.5", "stability = nan", "lenses[0].rules[0].scale.stability"),
        ],
    )
    def test_content_decimals(self, mini: Path, old: str, new: str, key: str) -> None:
        edit(mini, old, new)
        line = changed_line(mini, old, new)
        assert_one(problems(mini), f"scenario.toml:{line}: {key}: ", "finite number")
