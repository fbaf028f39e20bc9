"""Content loading: clean content loads; every kind of mistake is reported with file:line."""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from game.content import ContentError, Scenario, load_scenario
from game.content.locate import find_line, key_lines
from game.content.models import MAX_VALUE
from game.content.text import first_control
from game.sim import default_strategy_names, play_one

from .helpers import MINI, writable_copy
from .helpers import edit_toml as edit

PROBLEM_LINE = re.compile(r"^.+\.toml:\d+: \S+: .+$")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini scenario."""
    return writable_copy(MINI, tmp_path)


def line_of(folder: Path, needle: str) -> int:
    lines = (folder / "scenario.toml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_scenario(folder)
    return [str(p) for p in info.value.problems]


class TestCleanContent:
    """The fixture loads with everything cross-referenced."""

    def test_mini_loads(self) -> None:
        sc = load_scenario(MINI)
        assert sc.id == "mini"
        assert [m.id for m in sc.meters] == ["escalation", "stability", "morale"]
        assert sc.meter["escalation"].max == 3
        assert set(sc.lens) == {"hawkish", "dovish"}
        assert len(sc.fingerprint) == 64

    def test_item_is_the_card_or_event_a_decision_names(self) -> None:
        sc = load_scenario(MINI)
        assert sc.item("card", "pressure") is sc.card["pressure"]
        assert sc.item("event", "storm") is sc.event["storm"]
        assert sc.item("card", "storm") is None  # an event, not a card
        assert sc.item("event", "nothing") is None
        with pytest.raises(ValueError, match="inject"):
            sc.item("inject", "storm")

    def test_fingerprint_changes_with_content(self, mini: Path) -> None:
        before = load_scenario(mini).fingerprint
        edit(mini, 'title = "Mini crisis"', 'title = "Mini crisis 2"')
        assert load_scenario(mini).fingerprint != before

    def test_split_across_files(self, mini: Path) -> None:
        text = (mini / "scenario.toml").read_text()
        head, sep, tail = text.partition("[[glossary]]")
        (mini / "scenario.toml").write_text(head)
        (mini / "more").mkdir()
        (mini / "more" / "glossary.toml").write_text(sep + tail)
        assert load_scenario(mini).glossary[0].term == "Ladder"


# (old, new, line needle, key path, message fragment)
MUTATIONS: list[tuple[str, str, str, str, str]] = [
    (
        "cooldown = 0",
        'cooldown = "soon"',
        'cooldown = "soon"',
        "cards[0].cooldown",
        "expected a whole number, found the string 'soon'",
    ),
    (
        'id = "push"',
        'id = "push"\n  wieght = 3',
        "wieght",
        "cards[0].options[0].wieght",
        "unknown key",
    ),
    (
        '{ meter = "stability", add = -10',
        '{ meter = "stabilty", add = -10',
        "stabilty",
        "cards[0].options[0].effects[0].meter",
        "unknown meter 'stabilty'",
    ),
    (
        'source = "b", paragraph = 3',
        'source = "zz", paragraph = 3',
        '"zz"',
        "cards[0].options[1].citations[0].source",
        "unknown source 'zz'",
    ),
    (
        'source = "b", paragraph = 3',
        'source = "b", paragraph = 99',
        "paragraph = 99",
        "cards[0].options[1].citations[0].paragraph",
        "paragraphs 1..10",
    ),
    (
        'when = "flag.talks and turn >= 2"',
        'when = "flag.talk and turn >= 2"',
        "flag.talk and",
        "cards[1].when",
        "unknown flag 'talk'",
    ),
    (
        'when = "stability < 45"',
        'when = "stability <"',
        'when = "stability <"',
        "events[0].when",
        "expected a number",
    ),
    (
        'id = "talks_card"',
        'id  = "pressure"',
        'id  = "pressure"',
        "cards[1].id",
        "duplicate card or event 'pressure'",
    ),
    (
        'tags = ["hawk"]\n  scale',
        'tags = ["hawkk"]\n  scale',
        '"hawkk"',
        "lenses[0].rules[0].tags[0]",
        "no option has the tag 'hawkk'",
    ),
    (
        'default_ending = "stalemate"',
        'default_ending = "nowhere"',
        "nowhere",
        "scenario.default_ending",
        "unknown ending 'nowhere'",
    ),
    (
        "scores = { peace = 5 }",
        "scores = { peace = 11 }",
        "peace = 11",
        "endings[0].scores.peace",
        "less than or equal to 10",
    ),
    (
        "scores = { peace = 0 }",
        "scores = { war = 0 }",
        "war = 0",
        "endings[1].scores.war",
        "unknown criterion 'war'",
    ),
    (
        '{ set_flag = "talks" }',
        '{ set_flag = "talks", add = 1 }',
        '"talks", add = 1',
        "cards[0].options[1].effects[0]",
        "a flag effect takes no add",
    ),
    ("start = 50\nbands", "start = 500\nbands", "start = 500", "meters[0].start", "outside 0..100"),
    (
        '{ uncertainty = "morale", add = -2 }',
        '{ uncertainty = "stability", add = -2 }',
        'uncertainty = "stability"',
        "cards[0].options[1].effects[2].uncertainty",
        "not an estimate",
    ),
]


class TestMistakes:
    """Each kind of mistake gives `file:LINE: key.path: message`."""

    @pytest.mark.parametrize(("old", "new", "needle", "key", "fragment"), MUTATIONS)
    def test_mistake_is_located(
        self, mini: Path, old: str, new: str, needle: str, key: str, fragment: str
    ) -> None:
        edit(mini, old, new)
        found = problems(mini)
        expected_prefix = f"scenario.toml:{line_of(mini, needle)}: {key}: "
        matching = [p for p in found if expected_prefix in p and fragment in p]
        assert matching, f"wanted {expected_prefix}…{fragment} in {found}"
        assert all(PROBLEM_LINE.match(p) for p in found), found

    def test_all_problems_reported_in_one_run(self, mini: Path) -> None:
        chosen = [MUTATIONS[i] for i in (0, 2, 3, 5, 6, 9, 10)]  # rows on different items
        for old, new, *_ in chosen:
            edit(mini, old, new)
        found = problems(mini)
        for _, _, _, key, fragment in chosen:
            assert any(f": {key}: " in p and fragment in p for p in found), (key, found)

    def test_toml_syntax_error_has_line(self, mini: Path) -> None:
        edit(mini, 'title = "Pressure"', 'title = "Pressure')
        [problem] = problems(mini)
        line = line_of(mini, 'title = "Pressure')
        assert f"scenario.toml:{line}: TOML syntax error" in problem

    @pytest.mark.parametrize(
        ("content", "fragment"),
        [
            (b"\x00\x01\x02\xff\xfe binary", "not UTF-8"),
            (b"\x00\x00\x00", "NUL bytes"),
            (b"x = " + b"[" * 3000 + b"]" * 3000, "nested"),
            (b"[[cards]]\nid = 3\n", "cards[0].id"),
            (b"cards = 5\n", "array of tables"),
            (b"bogus = 1\n", "unknown top-level key"),
        ],
    )
    def test_hostile_extra_file(self, mini: Path, content: bytes, fragment: str) -> None:
        (mini / "extra.toml").write_bytes(content)
        found = problems(mini)
        assert any("extra.toml" in p and fragment in p for p in found), found

    def test_huge_file_is_refused_quickly(self, mini: Path) -> None:
        with open(mini / "huge.toml", "wb") as fh:
            fh.truncate(50 * 1024 * 1024)
        assert any("too large" in p for p in problems(mini))

    def test_empty_folder_and_missing_folder(self, tmp_path: Path) -> None:
        assert any("no .toml files" in p for p in problems(tmp_path))
        assert any("does not exist" in p for p in problems(tmp_path / "nope"))

    def test_empty_file_means_no_scenario_table(self, tmp_path: Path) -> None:
        (tmp_path / "scenario.toml").write_text("")
        found = problems(tmp_path)
        assert any("no [scenario] table" in p for p in found)
        assert any("no [ladder] table" in p for p in found)


class TestLocator:
    """The key -> line scanner finds tables, keys and inline array items."""

    def test_lines(self) -> None:
        text = '[a]\nx = 1\n[[b]]\ny = [\n  {z = 1},\n  {z = 2},\n]\n[[b]]\n[b.c]\nw = "]["\n'
        lines = key_lines(text)
        assert lines[("a",)] == 1 and lines[("a", "x")] == 2
        assert lines[("b", 0, "y", 1, "z")] == 6
        assert lines[("b", 1)] == 8
        assert lines[("b", 1, "c", "w")] == 10
        assert find_line(lines, ("b", 1, "c", "w", "nope")) == 10


_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.integers()  # beyond every bound, beyond 64 bits too
    | st.floats()  # nan and inf included
    | st.text(max_size=8)  # control characters included
    | st.from_regex(r"-?[0-9]{1,3}", fullmatch=True),  # a number in quotes
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def _toml_or_text(value: object) -> str:
    if isinstance(value, dict):
        try:
            return tomli_w.dumps(_strip_none(value))
        except (TypeError, ValueError):
            return repr(value)
    return str(value)


def _strip_none(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value if v is not None]
    return value


KEYS = ["scenario", "ladder", "cards", "events", "meters", "lenses", "endings", "sources"]


class TestNeverATraceback:
    """Whatever a file holds, loading raises ContentError or succeeds — nothing else."""

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.dictionaries(st.sampled_from(KEYS), _values, max_size=4))
    def test_generated_structures(
        self, tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
    ) -> None:
        folder = tmp_path_factory.mktemp("gen")
        (folder / "a.toml").write_text(_toml_or_text(data))
        self._load(folder)

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.data())
    def test_mutated_fixture(
        self, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
    ) -> None:
        folder = tmp_path_factory.mktemp("mut")
        text = (MINI / "scenario.toml").read_text()
        lines = text.splitlines()
        action = data.draw(st.sampled_from(["drop", "garble", "insert", "truncate"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[i]
        elif action == "garble":
            junk = data.draw(st.text(max_size=12))
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif action == "insert":
            lines.insert(i, data.draw(st.text(max_size=30)))
        else:
            lines = lines[:i]
        (folder / "scenario.toml").write_text("\n".join(lines))
        self._load(folder)

    @staticmethod
    def _load(folder: Path) -> None:
        try:
            load_scenario(folder)
        except ContentError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.message


STRATEGIES = '[[strategies]]\nid = "hawkish"\ntags = { hawk = 2.0, dove = -1 }\n'
STRATEGIES += 'options = { "talks_card.keep" = 0.5 }\n'

_NUMBER_OR_BOOL = re.compile(r"(?<=[\w\"] = )(-?[0-9][0-9_.]*|true|false)(?=[ ,}\n])")
"""A number or a bool given as a key's value: what the strict-type property replaces."""
_STRING = re.compile(r'(?<== ")(?=[^"\n]*")')
"""Where a string value's text begins: where the control-character property inserts."""


def _hostile_value() -> st.SearchStrategy[tuple[str, bool]]:
    """A TOML value and whether no number or bool field could accept it."""

    def floats(x: float) -> tuple[str, bool]:
        return tomli_w.dumps({"x": x})[4:].strip(), x != x or x in (math.inf, -math.inf)

    return st.one_of(
        st.integers(-(2**70), 2**70).map(lambda n: (str(n), False)),
        st.integers(-(10**6) - 10, 10**6 + 10).map(lambda n: (str(n), False)),
        st.floats().map(floats),
        st.booleans().map(lambda b: (str(b).lower(), False)),
        st.from_regex(r"-?[0-9]{1,4}(\.[0-9])?", fullmatch=True).map(lambda v: (f'"{v}"', True)),
        st.sampled_from(['"yes"', '"true"', "1979-05-27", "[]", "{}"]).map(lambda v: (v, True)),
    )


def _walk(value: object) -> Iterator[object]:
    """Every value inside a loaded model, recursively."""
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _walk(item)


def _assert_sound(scenario: Scenario) -> None:
    """A scenario that loads holds only bounded whole numbers, finite decimals and
    printable text, and plays to an end under every strategy and lens."""
    parts = [scenario.info, scenario.ladder, scenario.meters, scenario.cards, scenario.events]
    parts += [scenario.endings, scenario.lenses, scenario.dynamics, scenario.strategies]
    parts += [scenario.sources, scenario.glossary, scenario.briefing]
    for value in _walk(parts):
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            assert -MAX_VALUE <= value <= MAX_VALUE, value
        elif isinstance(value, float):
            assert math.isfinite(value), value
        elif isinstance(value, str):
            assert first_control(value) is None, value
    for name in default_strategy_names(scenario):
        for lens in scenario.lenses:
            record = play_one(scenario, name, lens.id, seed=3)
            assert record.turns <= scenario.info.turn_limit


class TestStrictProperties:
    """Hostile numbers, bools and text in otherwise valid content: a located problem at
    the changed line, or a scenario that is sound and plays (issue: reliability)."""

    @settings(
        max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.data())
    def test_hostile_number_or_bool(
        self, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
    ) -> None:
        folder = tmp_path_factory.mktemp("num")
        shutil.copytree(MINI, folder, dirs_exist_ok=True)
        (folder / "strategies.toml").write_text(STRATEGIES)
        name = data.draw(st.sampled_from(["scenario.toml", "strategies.toml"]))
        text = (folder / name).read_text()
        spots = list(_NUMBER_OR_BOOL.finditer(text))
        spot = data.draw(st.sampled_from(spots))
        value, wrong = data.draw(_hostile_value())
        wrong = wrong or (spot.group() in ("true", "false")) != (value in ("true", "false"))
        (folder / name).write_text(text[: spot.start()] + value + text[spot.end() :])
        line = text[: spot.start()].count("\n") + 1
        try:
            scenario = load_scenario(folder)
        except ContentError as exc:
            event("refused")
            found = [str(p) for p in exc.problems]
            assert all(PROBLEM_LINE.match(p) for p in found), found
            if wrong:
                assert any(f"{name}:{line}: " in p for p in found), (line, value, found)
        else:
            event("loads and plays")
            assert not wrong, (line, value)
            _assert_sound(scenario)

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.data())
    def test_control_character_in_any_string(
        self, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
    ) -> None:
        folder = tmp_path_factory.mktemp("ctl")
        shutil.copytree(MINI, folder, dirs_exist_ok=True)
        text = (folder / "scenario.toml").read_text()
        spot = data.draw(st.sampled_from(list(_STRING.finditer(text))))
        code = data.draw(st.sampled_from([*range(0, 9), *range(11, 32), *range(127, 160)]))
        escaped = f"\\u{code:04X}"
        (folder / "scenario.toml").write_text(text[: spot.start()] + escaped + text[spot.end() :])
        line = text[: spot.start()].count("\n") + 1
        with pytest.raises(ContentError) as info:
            load_scenario(folder)
        found = [str(p) for p in info.value.problems]
        assert any(f"scenario.toml:{line}: " in p for p in found), (line, escaped, found)
        assert all("\x1b" not in p and "\n" not in p for p in found)
