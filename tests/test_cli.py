"""The real `offramp` command: exit codes, messages, plain mode, replay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .helpers import MINI, offramp


class TestValidate:
    """`offramp validate` exits 0 on clean content and 2 with file:line lines otherwise."""

    def test_shipped_scenario_is_clean(self) -> None:
        result = offramp("validate", "content/ukraine")
        assert result.returncode == 0, result.stderr
        assert "OK" in result.stdout

    def test_default_is_the_shipped_scenario(self) -> None:
        result = offramp("validate")
        assert result.returncode == 0 and "ukraine" in result.stdout

    def test_broken_copy(self, tmp_path: Path) -> None:
        folder = tmp_path / "broken"
        shutil.copytree(MINI, folder)
        text = (folder / "scenario.toml").read_text()
        text = text.replace("cooldown = 0", 'cooldown = "x"').replace(
            'when = "stability < 45"', 'when = "__import__(1)"'
        )
        (folder / "scenario.toml").write_text(text)
        (folder / "junk.toml").write_bytes(b"\xff\xfe\x00")
        result = offramp("validate", str(folder))
        assert result.returncode == 2
        lines = [line for line in result.stderr.splitlines() if ".toml:" in line]
        assert len(lines) >= 3
        assert any("scenario.toml:" in line and "cards[0].cooldown" in line for line in lines)
        assert any("events[0].when" in line and "__import__" in line for line in lines)
        assert any("junk.toml:1" in line for line in lines)
        assert "Traceback" not in result.stderr

    def test_missing_folder(self, tmp_path: Path) -> None:
        result = offramp("validate", str(tmp_path / "nope"))
        assert result.returncode == 2 and "does not exist" in result.stderr


def test_schema_is_json_schema_of_every_table() -> None:
    result = offramp("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert {"scenario", "cards", "events", "lenses", "endings", "meters", "ladder"} <= set(
        schema["properties"]
    )
    card = schema["$defs"]["Card"]
    assert card["additionalProperties"] is False
    assert "description" in card["properties"]["weight"]


class TestPlain:
    """Plain mode plays a whole game from stdin, deterministically, and exits 0."""

    def test_yes_one_ends_the_game(self, tmp_path: Path) -> None:
        stdin = "1\n" * 200
        first = offramp("play", "--plain", "--seed", "7", "--saves", str(tmp_path), stdin=stdin)
        assert first.returncode == 0, first.stderr
        assert "Debrief. Ending on turn" in first.stdout
        second = offramp("play", "--plain", "--seed", "7", "--saves", str(tmp_path), stdin=stdin)
        assert first.stdout == second.stdout

    def test_end_of_input_saves_and_exits_cleanly(self, tmp_path: Path) -> None:
        result = offramp("play", "--plain", "--seed", "3", "--saves", str(tmp_path), stdin="1\n2\n")
        assert result.returncode == 0
        assert "Saved" in result.stdout
        (save,) = tmp_path.glob("*.toml")
        assert save.name == "ukraine-seed3.toml"
        replayed = offramp("replay", str(save))
        assert replayed.returncode == 0
        assert "Turn 1:" in replayed.stdout and "chose:" in replayed.stdout

    def test_bad_input_is_asked_again(self, tmp_path: Path) -> None:
        result = offramp(
            "play", "--plain", "--seed", "3", "--saves", str(tmp_path), stdin="9\nx\n1\n"
        )
        assert result.returncode == 0
        assert "Please type a number" in result.stdout


def test_replay_of_a_corrupt_save_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 'offramp-save'\nversion = 1\n")
    result = offramp("replay", str(bad))
    assert result.returncode == 2
    assert str(bad) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["play", "--plain", "--lens", "nope", "--scenario", str(MINI)]])
def test_unknown_lens_is_a_clear_error(args: list[str], tmp_path: Path) -> None:
    result = offramp(*args, "--saves", str(tmp_path))
    assert result.returncode == 2 and "unknown lens" in result.stderr


class TestUsage:
    """A mistyped option is reported with the usage of the command it was given to."""

    @pytest.mark.parametrize(
        ("args", "command"),
        [
            (["play", "--bogus"], "play"),
            (["--bogus"], "play"),  # no subcommand: `offramp` is `offramp play`
            (["validate", "--bogus"], "validate"),
            (["simulate", "--runs", "3", "--bogus"], "simulate"),
            (["replay", "save.toml", "--bogus"], "replay"),
        ],
    )
    def test_unknown_option_prints_the_subcommands_usage(
        self, args: list[str], command: str
    ) -> None:
        result = offramp(*args)
        assert result.returncode == 2
        assert result.stderr.startswith(f"usage: offramp {command} ")
        assert f"offramp {command}: error: unrecognized arguments: --bogus" in result.stderr
        assert "COMMAND" not in result.stderr

    def test_options_without_a_subcommand_are_plays(self, tmp_path: Path) -> None:
        """`offramp --plain …` starts plain play, as `offramp play --plain …` does."""
        result = offramp(
            "--plain", "--seed", "3", "--scenario", str(MINI), "--saves", str(tmp_path)
        )
        assert result.returncode == 0, result.stderr
        assert "Turn 1" in result.stdout

    def test_unknown_command_prints_the_top_usage(self) -> None:
        result = offramp("bogus")
        assert result.returncode == 2
        assert result.stderr.startswith("usage: offramp [-h] COMMAND")
