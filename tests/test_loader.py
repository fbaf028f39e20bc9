"""Content loading: clean content loads; every kind of mistake is reported with file:line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content import ContentError, load_scenario
from game.content.locate import find_line, key_lines

from .helpers import MINI

PROBLEM_LINE = re.compile(r"^.+\.toml:\d+: \S+: .+$")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini scenario."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def edit(folder: Path, old: str, new: str, count: int = 1) -> None:
    path = folder / "scenario.toml"
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, count))


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
        "valid integer",
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
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
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
