"""Saves: round trips, clear errors for bad files (left untouched), crash-safe writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content import Scenario
from game.engine import choices, choose, is_over, new_game
from game.saves import SaveError, SaveMeta, dumps_save, load_save, read_save_document, write_save

from .helpers import MINI, ROOT, SHIPPED, scenario_at


def played(scenario: Scenario, seed: int, turns: int) -> object:
    state = new_game(scenario, seed, None, hidden=True)
    for k in range(turns):
        if is_over(state):
            break
        options = choices(scenario, state)
        state, _ = choose(scenario, state, options[(seed + k) % len(options)].id)
    return state


class TestRoundTrip:
    """What is saved loads back as exactly the same game."""

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(seed=st.integers(0, 10**6), turns=st.integers(0, 30))
    def test_save_load_round_trip(
        self, scenario: Scenario, tmp_path: Path, seed: int, turns: int
    ) -> None:
        state = played(scenario, seed, turns)
        meta = SaveMeta(kind="autosave", player="Ana", class_code="c1", inbox_read=3)
        path = write_save(tmp_path / "game.toml", scenario, state, meta)  # type: ignore[arg-type]
        loaded = load_save(path, scenario=scenario)
        assert dumps_save(scenario, loaded.state) == dumps_save(scenario, state)  # type: ignore[arg-type]
        assert loaded.meta == meta
        assert loaded.warnings == []

    def test_save_is_readable_toml(self, mini: Scenario, tmp_path: Path) -> None:
        path = write_save(tmp_path / "g.toml", mini, played(mini, 1, 3))  # type: ignore[arg-type]
        doc = tomllib.loads(path.read_text())
        assert doc["format"] == "offramp-save" and doc["scenario"] == "mini"
        assert doc["log"] and {"turn", "kind", "id", "option"} <= set(doc["log"][0])

    def test_load_finds_the_scenario_by_folder(self, mini: Scenario, tmp_path: Path) -> None:
        path = write_save(tmp_path / "g.toml", mini, played(mini, 2, 2))  # type: ignore[arg-type]
        assert load_save(path, scenario_dir=MINI).state.seed == 2


def _corruptions(good: str) -> dict[str, tuple[str | bytes, str]]:
    doc = tomllib.loads(good)
    newer = {**doc, "version": 99}
    foreign = {"title": "something else", "owner": {"name": "x"}}
    hand = {
        **doc,
        "snapshot": {**doc["snapshot"], "meters": {**doc["snapshot"]["meters"], "stability": 77}},
    }
    bad_log = {**doc, "log": [{**doc["log"][0], "option": "nonsense"}, *doc["log"][1:]]}
    wrong_type = {**doc, "seed": "seven"}
    return {
        "binary": (b"\x00\xff\xfe garbage \x01", "not a save"),
        "empty": ("", "empty"),
        "truncated": (good[: len(good) // 2], ""),
        "foreign": (tomli_w.dumps(foreign), "not an Off-Ramp save"),
        "newer": (tomli_w.dumps(newer), "newer than this Off-Ramp understands"),
        "hand_edited": (tomli_w.dumps(hand), "snapshot does not match"),
        "bad_log": (tomli_w.dumps(bad_log), "does not replay"),
        "wrong_type": (tomli_w.dumps(wrong_type), "seed"),
    }


class TestBadSaves:
    """Every broken save gives a SaveError naming the file, and the file is untouched."""

    @pytest.mark.parametrize(
        "kind",
        [
            "binary",
            "empty",
            "truncated",
            "foreign",
            "newer",
            "hand_edited",
            "bad_log",
            "wrong_type",
        ],
    )
    def test_bad_save(self, mini: Scenario, tmp_path: Path, kind: str) -> None:
        good = dumps_save(mini, played(mini, 3, 3))  # type: ignore[arg-type]
        content, fragment = _corruptions(good)[kind]
        path = tmp_path / f"{kind}.toml"
        data = content if isinstance(content, bytes) else content.encode()
        path.write_bytes(data)
        with pytest.raises(SaveError) as info:
            load_save(path, scenario=mini)
        assert str(path) in str(info.value)
        assert fragment in str(info.value)
        assert path.read_bytes() == data

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(SaveError, match="cannot read"):
            read_save_document(tmp_path / "nope.toml")

    def test_unwritable_folder_keeps_the_old_save(self, mini: Scenario, tmp_path: Path) -> None:
        blocker = tmp_path / "not_a_folder"
        blocker.write_text("I am a file")
        with pytest.raises(SaveError, match="cannot write"):
            write_save(blocker / "game.toml", mini, played(mini, 1, 1))  # type: ignore[arg-type]
        assert blocker.read_text() == "I am a file"

    def test_failed_write_leaves_previous_save(self, mini: Scenario, tmp_path: Path) -> None:
        path = write_save(tmp_path / "g.toml", mini, played(mini, 1, 2))  # type: ignore[arg-type]
        before = path.read_bytes()
        (tmp_path / "g.toml.dir").mkdir()
        with pytest.raises(SaveError):
            # a folder where the file should go: os.replace fails
            write_save(tmp_path / "g.toml.dir", mini, played(mini, 1, 3))  # type: ignore[arg-type]
        assert path.read_bytes() == before
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


WRITER = """
import sys
from game.content import load_scenario
from game.engine import new_game, choices, choose, is_over
from game.saves import SaveMeta, write_save
sc = load_scenario(sys.argv[1])
path = sys.argv[2]
states = []
s = new_game(sc, 1, None)
while not is_over(s):
    states.append(s)
    s, _ = choose(sc, s, choices(sc, s)[0].id)
states.append(s)
write_save(path, sc, states[0], SaveMeta(title="x" * 20000))
print("ready", flush=True)  # a whole save exists: from now on it must never be lost
i = 1
while True:
    write_save(path, sc, states[i % len(states)], SaveMeta(title="x" * 20000))
    i += 1
"""


@pytest.mark.slow
def test_kill_during_write_never_loses_the_save(mini: Scenario, tmp_path: Path) -> None:
    """kill -9 a process in the middle of writing saves, many times: a save always loads."""
    path = tmp_path / "autosave.toml"
    for round_no in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(MINI), str(path)],
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.01 + (round_no % 7) * 0.007)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        loaded = load_save(path, scenario=mini)
        assert loaded.state.seed == 1
    leftovers = [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    # a killed writer may leave its temporary file, never a broken save
    assert all(p.name.startswith(".autosave.toml.") for p in leftovers)


V1 = ROOT / "tests" / "fixtures" / "saves_v1"
"""Saves written by Off-Ramp before save format 2 (one sequential RNG stream per game),
made with `offramp play --plain` on tests/fixtures/mini and content/ukraine."""


def _v1_scenario(save: Path) -> Scenario:
    """The scenario a version-1 fixture was made on; skip when its content has changed
    since (an edited scenario rightly no longer replays an old game)."""
    doc = read_save_document(save)
    scenario = scenario_at(MINI if doc.scenario == "mini" else SHIPPED)
    if scenario.fingerprint != doc.fingerprint:
        pytest.skip(f"{scenario.id}'s content changed since {save.name} was made")
    return scenario


def _ids(scenario: Scenario) -> tuple[str, ...]:
    return tuple(m.id for m in scenario.meters)


class TestVersion1Saves:
    """Saves of format version 1 load, replay to their snapshot and play on as they did."""

    @pytest.mark.parametrize(
        "name", ["mini-seed5.toml", "ukraine-seed20261204.toml", "ukraine-seed77.toml"]
    )
    def test_a_version_1_save_replays_to_its_snapshot(self, name: str, tmp_path: Path) -> None:
        path = V1 / name
        scenario = _v1_scenario(path)
        loaded = load_save(path, scenario=scenario)  # replays the log, checks the snapshot
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        assert doc["version"] == 1
        assert loaded.state.to_dict(_ids(scenario)) == doc["snapshot"]
        again = load_save(write_save(tmp_path / name, scenario, loaded.state), scenario=scenario)
        assert dumps_save(scenario, again.state) == dumps_save(scenario, loaded.state)

    def test_a_version_1_game_plays_on_with_its_own_draws(self) -> None:
        """Resumed, an old game keeps drawing as it did: the same choices reach the same
        end as they did before save format 2 (the '-played-on' fixture)."""
        path = V1 / "ukraine-seed77.toml"
        scenario = _v1_scenario(path)
        state = load_save(path, scenario=scenario).state
        while not is_over(state):
            state, _ = choose(scenario, state, choices(scenario, state)[-1].id)
        played_on = load_save(V1 / "ukraine-seed77-played-on.toml", scenario=scenario)
        assert state.log == played_on.state.log
        assert state.to_dict(_ids(scenario)) == played_on.state.to_dict(_ids(scenario))


def test_new_saves_are_version_2_with_their_draws(mini: Scenario, tmp_path: Path) -> None:
    """A new game's save says format 2 and rng_version 2; a resumed version-1 game keeps
    rng_version 1 in the saves it writes (format 2)."""
    doc = tomllib.loads(dumps_save(mini, new_game(mini, 3, "hawkish")))
    assert (doc["version"], doc["rng_version"]) == (2, 2)
    old = load_save(V1 / "mini-seed5.toml", scenario=_v1_scenario(V1 / "mini-seed5.toml"))
    doc = tomllib.loads(dumps_save(mini, old.state))
    assert (doc["version"], doc["rng_version"]) == (2, 1)
