"""Random-sized effects (`add = [low, high]`): drawn from the game's seeded RNG, inside
their range, the same for the same seed and turn, scaled by the lens after the draw, and
replayed exactly from a save."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content import Scenario, load_scenario
from game.debrief import play_counterfactual
from game.engine import choices, choose, is_over, new_game
from game.engine.state import Change, GameState
from game.saves import dumps_save, load_save, write_save
from game.timeline import choice_effects

from .helpers import CUBA, MINI, scenario_at, writable_copy
from .helpers import edit_toml as edit

PUSH = (-12, -8)
"""The range of `pressure.push` on stability (the hawkish lens scales it by 1.5)."""
STORM = (-6, -2)
"""The range of the storm event on morale."""
WAIT = (3, 7)
"""The range of `pressure.wait`'s delayed effect on morale."""


@pytest.fixture(scope="module")
def ranged(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The mini scenario with a range on an option, a delayed option effect and an event."""
    folder = writable_copy(MINI, tmp_path_factory.mktemp("ranged"))
    edit(
        folder, '{ meter = "stability", add = -10,', f'{{ meter = "stability", add = {list(PUSH)},'
    )
    edit(
        folder,
        '{ meter = "morale", add = 5, after = 1 }',
        f'{{ meter = "morale", add = {list(WAIT)}, after = 1 }}',
    )
    edit(folder, '{ meter = "morale", add = -3 }', f'{{ meter = "morale", add = {list(STORM)} }}')
    return load_scenario(folder)


def play(
    scenario: Scenario, seed: int, lens: str | None = None, rng_version: int = 2
) -> tuple[GameState, list[Change]]:
    """A game with choices drawn from ``seed``: its end and every change it made."""
    rnd = random.Random(seed)
    state = new_game(scenario, seed, lens, rng_version=rng_version)
    changes: list[Change] = []
    while not is_over(state):
        state, report = choose(scenario, state, rnd.choice(choices(scenario, state)).id)
        changes += report.changes
    return state, changes


def unclamped(scenario: Scenario, c: Change) -> bool:
    """Whether a meter change stopped short of its meter's bounds (so its size shows)."""
    meter = scenario.meter[c.id]
    return meter.min < c.after < meter.max


def sizes(scenario: Scenario, changes: list[Change], kind: str, ref: str, meter: str) -> list[int]:
    return [
        c.delta
        for c in changes
        if c.cause.kind == kind and c.cause.ref == ref and c.id == meter and unclamped(scenario, c)
    ]


_games = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class TestDraws:
    @_games
    @given(seed=st.integers(0, 10**9), rng_version=st.sampled_from([1, 2]))
    def test_every_size_is_within_its_range(
        self, ranged: Scenario, seed: int, rng_version: int
    ) -> None:
        _, changes = play(ranged, seed, "dovish", rng_version)
        for delta in sizes(ranged, changes, "option", "pressure.push", "stability"):
            assert PUSH[0] <= delta <= PUSH[1]
        for delta in sizes(ranged, changes, "event", "storm", "morale"):
            assert STORM[0] <= delta <= STORM[1]
        for delta in sizes(ranged, changes, "delayed", "pressure.wait", "morale"):
            assert WAIT[0] <= delta <= WAIT[1]

    @_games
    @given(seed=st.integers(0, 10**9), rng_version=st.sampled_from([1, 2]))
    def test_the_same_seed_draws_the_same_sizes(
        self, ranged: Scenario, seed: int, rng_version: int
    ) -> None:
        assert play(ranged, seed, None, rng_version) == play(ranged, seed, None, rng_version)

    def test_the_sizes_vary_and_reach_both_ends(self, ranged: Scenario) -> None:
        seen: set[int] = set()
        for seed in range(200):
            seen.update(
                sizes(
                    ranged, play(ranged, seed, "dovish")[1], "option", "pressure.push", "stability"
                )
            )
        assert seen == set(range(PUSH[0], PUSH[1] + 1))

    def test_the_lens_scales_the_size_drawn(self, ranged: Scenario) -> None:
        """Under hawkish (stability x1.5) a push moves stability by 1.5 times a size in
        the range; the sizes a hawkish game shows are exactly those scaled values."""
        scaled = {round(k * 1.5) for k in range(PUSH[0], PUSH[1] + 1)}
        seen: set[int] = set()
        for seed in range(200):
            seen.update(
                sizes(
                    ranged, play(ranged, seed, "hawkish")[1], "option", "pressure.push", "stability"
                )
            )
        assert seen and seen <= scaled
        assert len(seen) > 2


def test_what_your_choice_did_shows_the_size_drawn(ranged: Scenario) -> None:
    """The effects view after a push says how much stability fell: the size drawn."""
    shown = set()
    for seed in range(40):
        state = new_game(ranged, seed, "dovish")
        after, report = choose(ranged, state, "push")
        (change,) = [c for c in report.changes if c.id == "stability" and c.phase == "decision"]
        line = choice_effects(ranged, state, after, report).changes[0]
        assert line.startswith(f"Stability 50 → {change.after} (−{-change.delta})"), line
        shown.add(change.delta)
    assert len(shown) > 2 and shown <= set(range(PUSH[0], PUSH[1] + 1))


class TestCounterfactual:
    def test_the_same_turn_draws_the_same_size_under_another_lens(self, ranged: Scenario) -> None:
        """Replayed under hawkish, a push at the same turn moves stability by 1.5 times
        the size the dovish game drew: only the theory varies, not the luck."""
        compared = 0
        for seed in range(60):
            rnd = random.Random(seed)
            state = new_game(ranged, seed, "dovish")
            mine: list[Change] = []
            while not is_over(state):
                state, report = choose(ranged, state, rnd.choice(choices(ranged, state)).id)
                mine += report.changes
            other = play_counterfactual(ranged, state, "hawkish")
            dove = {
                c.turn: c for c in mine if c.cause.ref == "pressure.push" and c.id == "stability"
            }
            for c in other.changes:
                d = dove.get(c.turn)
                push = c.cause.ref == "pressure.push" and c.id == "stability"
                if push and d is not None and unclamped(ranged, c) and unclamped(ranged, d):
                    assert c.delta == round(d.delta * 1.5), (seed, c, d)
                    compared += 1
        assert compared > 10


class TestSaves:
    @_games
    @given(seed=st.integers(0, 10**9), turns=st.integers(0, 8))
    def test_save_and_load_replay_exactly(
        self, ranged: Scenario, tmp_path: Path, seed: int, turns: int
    ) -> None:
        rnd = random.Random(seed)
        state = new_game(ranged, seed)
        for _ in range(turns):
            if is_over(state):
                break
            state, _ = choose(ranged, state, rnd.choice(choices(ranged, state)).id)
        path = write_save(tmp_path / "game.toml", ranged, state)
        loaded = load_save(path, scenario=ranged)  # replays the log and checks the snapshot
        assert dumps_save(ranged, loaded.state) == dumps_save(ranged, state)
        assert loaded.state.meters == state.meters and loaded.state.delayed == state.delayed


def test_the_second_scenario_uses_ranges() -> None:
    """Cuba's public trade and Castro's cable add ranges; games there stay in them."""
    cuba = scenario_at(CUBA)
    assert cuba.event["castro_cable"].effects[0].add == (-12, -6)
    drawn = []
    for seed in range(100):
        drawn += sizes(cuba, play(cuba, seed)[1], "event", "castro_cable", "room")
    assert drawn and all(-12 <= delta <= -6 for delta in drawn)
