"""Content is read strictly: wrong types, numbers out of range, nan, control characters,
odd files and bad names are each one clear `file:LINE: key.path: message`, never a
traceback and never a follow-on error."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from game.classroom.exercise import load_exercise
from game.content import ContentError, load_scenario

from .helpers import MINI, writable_copy
from .helpers import edit_toml as edit

PROBLEM = r"^.+\.toml:\d+: \S+: .+$"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini scenario."""
    return writable_copy(MINI, tmp_path)


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
            ("turn_limit = 6", 'turn_limit = "6"', "scenario.turn_limit", "the string '6'"),
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


def split_off(folder: Path, table: str, name: str) -> Path:
    """Move everything from the first ``table`` header on into its own file."""
    text = (folder / "scenario.toml").read_text(encoding="utf-8")
    head, sep, tail = text.partition(table)
    rest, sep2, after = tail.partition("\n[[lenses]]")
    (folder / "scenario.toml").write_text(head + sep2 + after, encoding="utf-8")
    (folder / name).write_text(sep + rest, encoding="utf-8")
    return folder / name


class TestRootCauseOnly:
    """A broken piece is reported once, not again as missing or as an unknown name."""

    @pytest.mark.parametrize(
        ("old", "new", "key", "fragment"),
        [
            ("turn_limit = 6", "turn_limit = 6\nbogus = 1", "scenario.bogus", "unknown key"),
            ("turn_limit = 6", "turn_limit = 0", "scenario.turn_limit", "greater than or equal"),
            ('start = "2022-11"', 'start = "2022-13"', "scenario.start", "match pattern"),
            ("start = 0\nrungs", "start = 0\nrung = 1\nrungs", "ladder.rung", "unknown key"),
            ('id = "pressure"', "id = 5", "cards[0].id", "expected a string"),
        ],
    )
    def test_broken_table_is_not_also_missing(
        self, mini: Path, old: str, new: str, key: str, fragment: str
    ) -> None:
        edit(mini, old, new)
        assert_one(
            problems(mini), f"scenario.toml:{changed_line(mini, old, new)}: {key}: ", fragment
        )

    def test_scenario_that_is_not_a_table(self, mini: Path) -> None:
        edit(mini, "[scenario]\n", "scenario = 5\n[scenario_was]\n")
        found = problems(mini)
        assert any("scenario: [scenario] must be a table" in p for p in found), found
        assert not any("no [scenario] table" in p for p in found), found

    def test_the_only_card_broken_is_not_no_cards(self, tmp_path: Path) -> None:
        folder = tmp_path / "mini"
        shutil.copytree(MINI, folder)
        split_off(folder, "[[cards]]", "cards.toml")
        cards = folder / "cards.toml"
        cards.write_text("[[cards]]\nid = 5\n", encoding="utf-8")
        found = problems(folder)
        assert not any("has no [[cards]]" in p for p in found), found

    def test_unreadable_file_causes_no_unknown_names(self, mini: Path) -> None:
        """Endings in a file with a syntax error: no 'unknown ending' anywhere else."""
        endings = split_off(mini, "[[endings]]", "endings.toml")
        endings.write_text(endings.read_text(encoding="utf-8") + "\n[[endings]\n")
        found = problems(mini)
        assert len(found) == 1 and "endings.toml:" in found[0] and "TOML syntax" in found[0]

    def test_unreadable_meters_file(self, mini: Path) -> None:
        meters = split_off(mini, "[[meters]]", "meters.toml")
        meters.write_bytes(b"\xff" + meters.read_bytes())
        found = problems(mini)
        assert len(found) == 1 and "meters.toml:1: not UTF-8" in found[0], found

    def test_broken_meter_is_a_known_name_for_a_lens_cancel(self, mini: Path) -> None:
        edit(mini, 'visibility = "estimate"', 'visibility = "foggy"')
        edit(mini, "scale = { stability = 1.5 }", 'cancel = ["morale"]')
        assert_one(problems(mini), "meters[1].visibility: ", "'exact', 'estimate' or 'hidden'")

    def test_broken_card_is_a_known_name_for_a_strategy(self, mini: Path) -> None:
        edit(mini, "cooldown = 0", 'cooldown = "x"')
        (mini / "strategies.toml").write_text(
            '[[strategies]]\nid = "pusher"\noptions = { "pressure.push" = 1.0 }\n'
        )
        assert_one(problems(mini), "cards[0].cooldown: ", "expected a whole number")

    def test_unreadable_file_keeps_real_problems_elsewhere(self, mini: Path) -> None:
        """Names the broken file may declare are not errors; a syntax error still is."""
        edit(mini, '[[flags]]\nid = "talks"', '[[flags]]\nid = "talks_elsewhere"')
        (mini / "flags.toml").write_text('[[flags]]\nid = "talks"\nbroken = \n')
        edit(mini, 'when = "stability < 45"', 'when = "stability <"')
        found = problems(mini)
        assert len(found) == 2, found
        assert "flags.toml:3: TOML syntax error" in found[0]
        assert "events[0].when: bad condition 'stability <': expected a number" in found[1]


BIG = 2**61  # above 2**60, where the compiled engine's range tests stop being exact


class TestBounds:
    """Every number the engine computes with has a stated range; the rest is refused."""

    @pytest.mark.parametrize(
        ("old", "new", "key", "fragment"),
        [
            ("start = 50\nbands", f"start = 50\nmax = {BIG}\nbands", "meters[0].max", "1000000"),
            ("start = 50\nbands", "start = 50\nmin = -1000001\nbands", "meters[0].min", "-1000000"),
            ("start = 50\nbands", f"start = {BIG}\nbands", "meters[0].start", "1000000"),
            ("{ min = 30,", f"{{ min = {BIG},", "meters[0].bands[1].min", "1000000"),
            ("uncertainty = 10", f"uncertainty = {BIG}", "meters[1].uncertainty", "1000000"),
            ("add = -10", f"add = -{BIG}", "cards[0].options[0].effects[0].add", "-1000000"),
            ("priority = 5", f"priority = {BIG}", "endings[2].priority", "1000000"),
            ("turn_limit = 6", "turn_limit = 201", "scenario.turn_limit", "200"),
            ("start = 0\nrungs", "start = 40\nrungs", "ladder.start", "39"),
            ("cooldown = 0", "cooldown = 0\nweight = 1001", "cards[0].weight", "1000"),
            ("paragraphs = 10", "paragraphs = 100001", "sources[0].paragraphs", "100000"),
            ('title = "Essay A"', 'title = "Essay A"\nyear = 10000', "sources[0].year", "9999"),
            (
                "paragraph = 3",
                "paragraph = [2, 0]",
                "cards[0].options[1].citations[0].paragraph",
                "paragraph numbers are 1..100,000, not 0",
            ),
            (
                "paragraph = 3",
                "paragraph = []",
                "cards[0].options[1].citations[0].paragraph",
                "a citation needs at least one paragraph",
            ),
            (
                'when = "stability < 45"',
                f'when = "stability < {BIG}"',
                "events[0].when",
                f"{str(BIG)[:12]}… is out of range (at most 1,000,000) (at column 13)",
            ),
        ],
    )
    def test_out_of_range(self, mini: Path, old: str, new: str, key: str, fragment: str) -> None:
        edit(mini, old, new)
        assert_one(
            problems(mini), f"scenario.toml:{changed_line(mini, old, new)}: {key}: ", fragment
        )

    def test_the_bounds_themselves_are_fine(self, mini: Path) -> None:
        edit(mini, "start = 50\nbands", "min = -1000000\nmax = 1000000\nstart = 1000000\nbands")
        edit(mini, "add = -10", "add = -1000000")
        edit(mini, 'when = "stability < 45"', 'when = "stability < 1000000 and turn <= 200"')
        edit(mini, "turn_limit = 6", "turn_limit = 200")
        scenario = load_scenario(mini)
        assert scenario.meter["stability"].max == 1_000_000
        assert scenario.info.turn_limit == 200

    def test_strategy_weight(self, mini: Path) -> None:
        (mini / "strategies.toml").write_text(
            '[[strategies]]\nid = "odd"\noptions = { "pressure.push" = 1e300 }\n'
        )
        assert_one(
            problems(mini), "strategies.toml:3: strategies[0].options.pressure.push: ", "1000000"
        )

    @pytest.mark.parametrize(
        ("fields", "extra", "key", "fragment"),
        [
            ({"seed": "-1"}, "", "exercise.seed", "greater than or equal to 0"),
            ({"seed": str(2**63)}, "", "exercise.seed", "less than 9223372036854775808"),
            ({"turn_limit": "201"}, "", "exercise.turn_limit", "200"),
            ({}, '[[injects]]\nturn = 201\nevent = "summit"\n', "injects[0].turn", "200"),
        ],
    )
    def test_exercise_out_of_range(
        self, mini: Path, fields: dict[str, str], extra: str, key: str, fragment: str
    ) -> None:
        path = exercise(mini, extra, **fields)
        assert_one(
            problems(path),
            f"exercise.toml:{line_of(mini.parent, key.split('.')[-1], 'exercise.toml')}: {key}: ",
            fragment,
        )

    def test_largest_seed_is_fine(self, mini: Path) -> None:
        assert load_exercise(exercise(mini, seed=str(2**63 - 1))).info.seed == 2**63 - 1

    def test_schema_and_guide_state_the_ranges(self) -> None:
        from game.content.models import MAX_TURNS, MAX_VALUE
        from game.content.schema import content_schema

        from .helpers import ROOT

        meter = content_schema()["$defs"]["Meter"]["properties"]["max"]
        assert (meter["minimum"], meter["maximum"]) == (-MAX_VALUE, MAX_VALUE)
        guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
        numbers = guide.split("## Numbers")[1].split("\n## ")[0]
        assert f"−{MAX_VALUE:,}..{MAX_VALUE:,}" in numbers
        assert f"| 1..{MAX_TURNS} |" in numbers
        assert f"`max` | int (-{MAX_VALUE:_}..{MAX_VALUE:_})" in guide


class TestControlCharacters:
    """Text reaches the player's terminal: control characters and escapes are refused."""

    @pytest.mark.parametrize(
        ("old", "new", "key", "code"),
        [
            ('title = "Pressure"', r'title = "Pre\u001b[2Jssure"', "cards[0].title", "001B"),
            ('text = "Push hard"', r'text = "Push\rhard"', "cards[0].options[0].text", "000D"),
            ('why = "Pressure bites"', r'why = "bites\u0007"', ".effects[0].why", "0007"),
            ('label = "Stability"', r'label = "Stab\u009b31m"', "meters[0].label", "009B"),
            ('label = "Shaky"', r'label = "Sh\u007fky"', "meters[0].bands[1].label", "007F"),
            ('b = "Too risky."', r'b = "Too\u0085risky"', "endings[2].verdicts.b", "0085"),
            ('when = "stability < 45"', r'when = "stability < 45\u001f"', "events[0].when", "001F"),
            (
                'definition = "The escalation ladder."',
                'definition = "The escalation ladder."\naliases = ["ok", "e\\u001b]0;x\\u0007"]',
                "glossary[0].aliases[1]",
                "001B",
            ),
            ('name = "Calm"', r'name = "C\u001bcalm"', "ladder.rungs[0].name", "001B"),
            (
                'title = "Essay A"',
                r'title = "Essay A"' + '\nauthor = "A\\bB"',
                "sources[0].author",
                "0008",
            ),
        ],
    )
    def test_control_character_in_text(
        self, mini: Path, old: str, new: str, key: str, code: str
    ) -> None:
        edit(mini, old, new)
        line = changed_line(mini, old, new)
        [problem] = problems(mini)
        assert (
            f"scenario.toml:{line}: " in problem and f"{key}: control character U+{code}" in problem
        )
        assert "terminal escapes" in problem

    def test_newlines_tabs_and_any_script_are_text(self, mini: Path) -> None:
        edit(mini, 'text = "Push or wait?"', 'text = """Push\n\tor wait? Да. 是. نعم."""')
        assert load_scenario(mini).card["pressure"].text == "Push\n\tor wait? Да. 是. نعم."

    def test_strategy_option_key(self, mini: Path) -> None:
        (mini / "strategies.toml").write_text(
            '[[strategies]]\nid = "s"\n\noptions = { "pressure.push\\u001b[0m" = 1 }\n'
        )
        [problem] = problems(mini)
        assert "strategies.toml:4: strategies[0].options.pressure.push\\x1b[0m: control" in problem

    def test_problems_themselves_print_no_escapes(self, mini: Path) -> None:
        """An unknown key holding an escape or a newline is shown inert, on one line."""
        edit(mini, 'title = "Pressure"', 'title = "Pressure"\n"x\\u001b[2J\\ny" = 1')
        [problem] = problems(mini)
        line = line_of(mini, '"x\\u001b')
        assert f"scenario.toml:{line}: cards[0].x\\x1b[2J\\x0ay: unknown key (allowed:" in problem
        assert "\x1b" not in problem and "\n" not in problem

    def test_exercise_text(self, mini: Path) -> None:
        path = exercise(mini, title='"Seminar\\u001b]0;owned\\u0007"', briefing='"ok"')
        [problem] = problems(path)
        assert "exercise.toml:2: exercise.title: control character U+001B at character 8" in problem


class TestPrintable:
    """`printable` cleans text that never passed validation (save metadata, names)."""

    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("Ann\x1b[31m Smith\x1b[0m", "Ann Smith"),
            ("a\x1b]0;window title\x07b", "ab"),
            ("a\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
            ("x\x9b2Jy", "xy"),
            ("bell\x07 del\x7f nel\x85 cr\r", "bell del nel cr"),
            ("lone escape\x1b", "lone escape"),
            ("keeps\nlines\tand tabs, é, 日本", "keeps\nlines\tand tabs, é, 日本"),
        ],
    )
    def test_printable(self, raw: str, clean: str) -> None:
        from game.content import printable

        assert printable(raw) == clean
        assert printable(clean) == clean


class TestByteOrderMark:
    """A UTF-8 byte-order mark, as some Windows editors write, is not a syntax error."""

    def test_scenario_file_with_bom(self, mini: Path) -> None:
        path = mini / "scenario.toml"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        assert load_scenario(mini).id == "mini"

    def test_lines_stay_right(self, mini: Path) -> None:
        edit(mini, "cooldown = 0", 'cooldown = "x"')
        path = mini / "scenario.toml"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        line = line_of(mini, 'cooldown = "x"')
        assert_one(problems(mini), f"scenario.toml:{line}: cards[0].cooldown: ", "whole number")

    def test_bom_on_the_first_line_of_a_table(self, mini: Path) -> None:
        (mini / "more.toml").write_bytes(b'\xef\xbb\xbf[[flags]]\nid = "extra"\n')
        assert "extra" in {f.id for f in load_scenario(mini).flags}

    def test_exercise_with_bom(self, mini: Path) -> None:
        path = exercise(mini)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        assert load_exercise(path).info.seed == 7


def load_within(path: Path, seconds: float = 10) -> list[str]:
    """The problems of ``path``, failing (not hanging) if loading blocks."""
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.extend(problems(path)), daemon=True)
    worker.start()
    worker.join(seconds)
    for pipe in path.parent.rglob("*.toml") if path.is_dir() else [path]:
        if stat.S_ISFIFO(pipe.lstat().st_mode):  # release a reader stuck on it, if any
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert not worker.is_alive(), "loading blocked"
    return found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
class TestOnlyRegularFiles:
    """Pipes, devices and dangling links are refused by name; nothing blocks or fills memory."""

    def test_named_pipe_in_a_scenario(self, mini: Path) -> None:
        os.mkfifo(mini / "pipe.toml")
        found = load_within(mini)
        assert len(found) == 1 and "pipe.toml: not a regular file (a named pipe)" in found[0]

    @pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
    def test_link_to_dev_zero(self, mini: Path) -> None:
        (mini / "zero.toml").symlink_to("/dev/zero")
        found = load_within(mini)
        assert len(found) == 1 and "zero.toml: not a regular file (a device)" in found[0]

    def test_dangling_link(self, mini: Path) -> None:
        (mini / "gone.toml").symlink_to(mini / "nowhere")
        found = load_within(mini)
        assert len(found) == 1 and "gone.toml: cannot read file: No such file" in found[0]

    def test_exercise_that_is_a_pipe(self, tmp_path: Path) -> None:
        os.mkfifo(tmp_path / "exercise.toml")
        found = load_within(tmp_path / "exercise.toml")
        assert len(found) == 1
        assert found[0].endswith(
            "exercise.toml: not a regular file (a named pipe): content files must be ordinary files"
        )

    def test_validate_names_the_pipe(self, tmp_path: Path) -> None:
        """`offramp validate PIPE.toml` says what is wrong with it, not 'not a folder'."""
        os.mkfifo(tmp_path / "exercise.toml")
        result = subprocess.run(
            [sys.executable, "-m", "game.cli", "validate", str(tmp_path / "exercise.toml")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2 and "not a regular file (a named pipe)" in result.stderr


def offramp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


class TestWholeNames:
    """A name is checked whole: '$' before a final newline lets no 'pols101\\n' through."""

    def test_exercise_class_code(self, mini: Path) -> None:
        path = exercise(mini, class_code='"pols101\\n"')
        assert_one(problems(path), "exercise.toml:5: exercise.class_code: ", "a class code is")

    def test_class_dir(self, tmp_path: Path) -> None:
        from game.classroom.roster import class_dir

        assert class_dir(tmp_path, "pols101") == tmp_path / "pols101"
        for bad in ("pols101\n", "\npols101", "../x", "x" * 41, ""):
            with pytest.raises(ValueError, match="bad class code"):
                class_dir(tmp_path, bad)

    def test_inject_class(self, tmp_path: Path) -> None:
        from .helpers import ROOT

        exercise_file = ROOT / "content" / "exercises" / "seminar.toml"
        result = offramp(
            "inject", "--class", "pols101\n", "--exercise", str(exercise_file),
            "--saves", str(tmp_path), "border_incident", cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode != 0 and "bad class code 'pols101\\n'" in result.stderr
        assert not any(tmp_path.iterdir())

    def test_new_scenario_name(self, tmp_path: Path) -> None:
        from game.content.scaffold import ScaffoldError, new_scenario

        for bad in ("zz\n", "zz\n\n", "Zz", "z" * 65):
            with pytest.raises(ScaffoldError, match="not a valid scenario id"):
                new_scenario(bad, tmp_path)
        assert new_scenario("z" * 64, tmp_path).name == "z" * 64
        result = offramp("new", "zz\n", "--dir", str(tmp_path / "cli"), cwd=tmp_path)
        assert result.returncode != 0 and "not a valid scenario id" in result.stderr
        assert not (tmp_path / "cli").exists()

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ('id = "pressure"', 'id = "pressure\\n"', "cards[0].id"),
            ('start = "2022-11"', 'start = "2022-11\\n"', "scenario.start"),
            ('tags = ["hawk"]', 'tags = ["hawk\\n"]', "cards[0].options[0].tags[0]"),
        ],
    )
    def test_ids_and_start_month(self, mini: Path, old: str, new: str, key: str) -> None:
        edit(mini, old, new)
        found = problems(mini)
        line = changed_line(mini, old, new)
        assert any(f"scenario.toml:{line}: {key}: " in p for p in found), found


class TestExerciseReportsEverything:
    """An exercise's problems come all together: an unknown key hides none of the others."""

    def test_unknown_key_with_unknown_lens_card_and_event(self, mini: Path) -> None:
        injects = '[[injects]]\nturn = 2\nevent = "nope"\n[[injects]]\nturn = 3\nevent = "summit"\n'
        path = exercise(
            mini, injects, lens='"nope"', colour='"red"', banned_cards='["pressure", "zz"]'
        )
        found = problems(path)
        expected = [
            "exercise.lens: unknown lens 'nope'",
            "exercise.colour: unknown key",
            "exercise.banned_cards[1]: unknown card 'zz'",
            "injects[0].event: unknown event 'nope'",
        ]
        for fragment in expected:
            assert any(fragment in p for p in found), (fragment, found)
        assert len(found) == len(expected), found

    def test_a_broken_inject_hides_nothing(self, mini: Path) -> None:
        injects = '[[injects]]\nturn = "2"\nevent = "summit"\n[[injects]]\nturn = 3\nevent = "x"\n'
        found = problems(exercise(mini, injects, bogus="1"))
        expected = [
            "exercise.bogus: unknown key",
            "injects[0].turn: expected a whole number",
            "injects[1].event: unknown event 'x'",
        ]
        assert [next(f for f in expected if f in p) for p in found] == expected, found

    def test_unknown_names_suggest_the_nearest(self, mini: Path) -> None:
        injects = '[[injects]]\nturn = 2\nevent = "sumit"\n'
        found = problems(exercise(mini, injects, banned_cards='["presure"]'))
        assert any("unknown event 'sumit' (did you mean 'summit'?)" in p for p in found), found
        assert any("unknown card 'presure' (did you mean 'pressure'?)" in p for p in found)

    def test_unknown_top_level_table(self, mini: Path) -> None:
        found = problems(exercise(mini, "[settings]\nx = 1\n", lens='"nope"'))
        assert len(found) == 2, found
        assert any(": settings: unknown key (allowed: exercise, injects)" in p for p in found)
        assert any("unknown lens 'nope'" in p for p in found)

    def test_bad_turn_limit_is_not_also_an_early_inject(self, mini: Path) -> None:
        """With turn_limit = "14" the scenario's 6 is not the limit: no 'after the limit'."""
        path = exercise(mini, '[[injects]]\nturn = 10\nevent = "summit"\n', turn_limit='"14"')
        assert_one(problems(path), "exercise.turn_limit: ", "the string '14'")

    def test_missing_scenario_still_reports_the_rest(self, mini: Path) -> None:
        path = exercise(mini, "[[injects]]\nturn = 0\nevent = 'summit'\n", scenario="5")
        found = problems(path)
        assert len(found) == 2, found
        assert any("exercise.scenario: expected a string" in p for p in found)
        assert any(
            "injects[0].turn: Input should be greater than or equal to 1" in p for p in found
        )
