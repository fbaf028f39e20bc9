"""Engine invariants (hypothesis) and the behaviour of single turns."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import Scenario, load_scenario
from game.engine import (
    EngineError,
    GameState,
    choices,
    choose,
    current_decision,
    inject,
    is_over,
    new_game,
    outcome,
)
from game.engine.conditions import compile_condition
from game.engine.replay import Setup, final_state, replay, script_of
from game.engine.rules import rules_for
from game.engine.setup import opening, start
from game.engine.state import Decision
from game.engine.view import lens_is_hidden, meter_visibility, view
from game.saves import dumps_save
from game.timeline import describe_change

from .helpers import MINI, ROOT

PLAYS = settings(max_examples=40, deadline=None)


def max_decisions(scenario: Scenario, state: GameState) -> int:
    events_with_choice = sum(1 for e in scenario.events if e.options)
    per_turn = scenario.info.cards_per_turn + events_with_choice
    return state.turn_limit * per_turn + 1


def check_invariants(scenario: Scenario, state: GameState) -> None:
    rules = rules_for(scenario)
    for i, value in enumerate(state.meters):
        assert rules.lo[i] <= value <= rules.hi[i], (rules.meter_ids[i], value)
    for i, spread in enumerate(state.uncertainty):
        assert 0 <= spread <= rules.hi[i] - rules.lo[i]
    assert 1 <= state.turn <= state.turn_limit
    # cooldowns are only ever set on what came up (the deal and the event scan rely on it)
    assert set(state.available) <= state.seen
    # never a dead end: either a decision with options, or an ending
    if state.ending is None:
        assert current_decision(state) is not None
        assert 2 <= len(choices(scenario, state)) <= 4
    else:
        assert state.ending in scenario.ending
        assert choices(scenario, state) == ()
        check_termination(scenario, state)


def check_termination(scenario: Scenario, state: GameState) -> None:
    """A finished game says how it ended, and that is what happened."""
    result = outcome(scenario, state)
    assert result is not None
    if result.termination == "turn_limit":
        assert result.ending.id == scenario.info.default_ending
        assert state.turn == state.turn_limit
    elif result.termination == "ladder_top":
        assert result.ending.id == scenario.ladder.top_ending
        assert state.meters[0] == len(scenario.ladder.rungs) - 1
    else:
        assert result.termination == "condition"
        condition = scenario.conditions[result.ending.when]
        assert compile_condition(condition, scenario.names).holds(state)


def play(scenario: Scenario, state: GameState, picks: st.DataObject) -> GameState:
    budget = max_decisions(scenario, state)
    check_invariants(scenario, state)
    while not is_over(state):
        options = choices(scenario, state)
        pick = picks.draw(st.integers(0, len(options) - 1))
        before = state.to_dict(rules_for(scenario).meter_ids)
        state_before = state
        state, report = choose(scenario, state, options[pick].id)
        # the engine never changes the state it was given
        assert state_before.to_dict(rules_for(scenario).meter_ids) == before
        assert report.option == options[pick].id
        check_invariants(scenario, state)
        budget -= 1
        assert budget >= 0, "the game did not end by its turn limit"
    return state


class TestInvariants:
    """Properties that hold for every seed, lens and sequence of legal choices."""

    @PLAYS
    @given(seed=st.integers(-(2**63), 2**63), picks=st.data())
    def test_any_game_stays_in_range_and_ends(
        self, scenario: Scenario, seed: int, picks: st.DataObject
    ) -> None:
        lens = picks.draw(st.sampled_from([None, *scenario.lens]))
        state = play(scenario, new_game(scenario, seed, lens), picks)
        result = outcome(scenario, state)
        assert result is not None and result.turn <= state.turn_limit

    @PLAYS
    @given(seed=st.integers(0, 10**9), picks=st.data())
    def test_replaying_the_log_reproduces_the_game(
        self, scenario: Scenario, seed: int, picks: st.DataObject
    ) -> None:
        state = play(scenario, new_game(scenario, seed, None, hidden=True), picks)
        again = final_state(scenario, Setup.of(state), state.log)
        assert dumps_save(scenario, again) == dumps_save(scenario, state)

    @PLAYS
    @given(seed=st.integers(0, 10**9), picks=st.data())
    def test_injected_event_fires_next_turn(
        self, scenario: Scenario, seed: int, picks: st.DataObject
    ) -> None:
        state = new_game(scenario, seed, None)
        event = picks.draw(st.sampled_from(sorted(scenario.event)))
        turn = state.turn
        state = inject(scenario, state, event)
        while state.turn == turn and not is_over(state):
            state, _ = choose(scenario, state, choices(scenario, state)[0].id)
        if not is_over(state) or state.turn > turn:
            assert event in state.news or is_over(state)
        assert any(e.kind == "inject" and e.id == event for e in state.log)
        again = final_state(scenario, Setup.of(state), state.log)
        assert again.to_dict(rules_for(scenario).meter_ids) == state.to_dict(
            rules_for(scenario).meter_ids
        )

    def test_lens_matters_somewhere(self, scenario: Scenario) -> None:
        """Same seed, same option index policy: some lens changes some game."""
        endings = set()
        for lens in scenario.lens:
            for seed in range(20):
                state = new_game(scenario, seed, lens)
                while not is_over(state):
                    state, _ = choose(scenario, state, choices(scenario, state)[0].id)
                endings.add((seed, tuple(state.meters), state.ending, lens))
        by_seed: dict[int, set[tuple[tuple[int, ...], str | None]]] = {}
        for seed, meters, ending, _ in endings:
            by_seed.setdefault(seed, set()).add((meters, ending))
        assert any(len(v) > 1 for v in by_seed.values())


class TestTurn:
    """Single-turn behaviour on the mini scenario."""

    def test_option_effects_and_report(self, mini: Scenario) -> None:
        state = new_game(mini, 1, "hawkish")
        assert current_decision(state) is not None
        state2, report = choose(mini, state, "push")
        stability = [c for c in report.changes if c.id == "stability"]
        # hawkish lens scales the -10 by 1.5
        assert stability[0].delta == -15
        assert stability[0].cause.lens_rule == "hawkish.pressure_escalates" or (
            stability[0].cause.lens_rule == "hawkish.pressure_pays"
        )
        assert state2.turn == 2

    def test_delayed_and_flag_effects(self, mini: Scenario) -> None:
        state = new_game(mini, 1, "hawkish")
        state, report = choose(mini, state, "wait")
        assert "talks" in state.flags
        assert any(p.id == "morale" for p in state.delayed) or any(
            c.cause.kind == "delayed" for c in report.changes
        )

    def test_unknown_option_and_finished_game(self, mini: Scenario) -> None:
        state = new_game(mini, 1, "hawkish")
        with pytest.raises(EngineError, match="not an option"):
            choose(mini, state, "nonsense")
        while not is_over(state):
            state, _ = choose(mini, state, "push")
        with pytest.raises(EngineError, match="over"):
            choose(mini, state, "push")

    def test_unknown_lens(self, mini: Scenario) -> None:
        with pytest.raises(EngineError, match="unknown lens"):
            new_game(mini, 1, "nope")

    def test_top_rung_ends_the_game(self, mini: Scenario) -> None:
        state = new_game(mini, 1, "dovish")
        while not is_over(state):
            state, _ = choose(mini, state, "push")
        assert state.ending == "war"
        assert state.meters[0] == len(mini.ladder.rungs) - 1
        result = outcome(mini, state)
        assert result is not None and result.termination == "ladder_top"

    def test_turn_limit_gives_default_ending(self, mini: Scenario) -> None:
        state = new_game(mini, 5, "hawkish", turn_limit=2)
        while not is_over(state):
            options = choices(mini, state)
            dove = [o for o in options if "dove" in o.tags] or list(options)
            state, _ = choose(mini, state, dove[0].id)
        assert state.ending == mini.info.default_ending
        result = outcome(mini, state)
        assert result is not None and result.termination == "turn_limit"

    def test_hidden_lens_is_not_in_the_view(self, mini: Scenario) -> None:
        state = new_game(mini, 3, None, hidden=True)
        assert view(mini, state).lens == "hidden"
        names = {lens.name for lens in mini.lenses}
        state_over = state
        while not is_over(state_over):
            state_over, _ = choose(mini, state_over, "push")
        assert view(mini, state_over).lens in names

    def test_what_is_hidden_is_revealed_at_the_end(self, mini: Scenario) -> None:
        state = new_game(mini, 3, None, hidden=True)
        morale = mini.meter["morale"]
        assert lens_is_hidden(state) and meter_visibility(state, morale) == "estimate"
        while not is_over(state):
            state, _ = choose(mini, state, "push")
        assert not lens_is_hidden(state) and meter_visibility(state, morale) == "exact"

    def test_the_timeline_says_no_more_than_the_view(self, scenario: Scenario) -> None:
        """A change to a meter the view hides gives no numbers; a hidden lens no name."""
        for seed in range(10):
            rnd = random.Random(seed)
            state = new_game(scenario, seed, None, hidden=True)
            while not is_over(state):
                state, report = choose(scenario, state, rnd.choice(choices(scenario, state)).id)
                v = view(scenario, state)
                unseen = {m.id for m in v.meters if m.value is None}
                name = f"lens {scenario.lens[state.lens].name}"
                for change in report.changes:
                    text = describe_change(scenario, state, change)
                    if change.id in unseen:
                        assert "→" not in text, text
                    if v.lens == "hidden":
                        assert name not in text, text

    def test_estimates_show_a_band_containing_the_truth(self, mini: Scenario) -> None:
        for seed in range(30):
            state = new_game(mini, seed, "hawkish")
            morale = next(m for m in view(mini, state).meters if m.id == "morale")
            truth = state.meters[mini.names.meters["morale"]]
            assert morale.low is not None and morale.high is not None
            assert morale.low <= truth <= morale.high
            assert morale.high - morale.low <= 20

    def test_replay_steps_match_the_log(self, mini: Scenario) -> None:
        state = new_game(mini, 9, "dovish")
        while not is_over(state):
            state, _ = choose(mini, state, choices(mini, state)[-1].id)
        steps = replay(mini, Setup.of(state), state.log)
        assert [s.entry for s in steps] == state.log
        assert steps[-1].after.ending == state.ending
        assert state.termination is not None
        assert steps[-1].after.termination == state.termination


SCRIPT = """
import sys
from game.content import load_scenario
from game.debrief import build_debrief, debrief_markdown
from game.engine import choices, choose, is_over, start
from game.engine.setup import Setup
from game.saves import dumps_save
sc = load_scenario(sys.argv[1])
out = []
for seed in range(8):
    # both ways of drawing; the debrief replays each game under every other lens
    s = start(sc, Setup(seed=seed, hidden=True, rng_version=1 + seed % 2))
    k = 0
    while not is_over(s):
        opts = choices(sc, s)
        s, _ = choose(sc, s, opts[(seed + k) % len(opts)].id)
        k += 1
    out.append(dumps_save(sc, s))
    out.append(debrief_markdown(build_debrief(sc, s)))
sys.stdout.write("\\n".join(out))
"""


@pytest.mark.parametrize("folder", ["tests/fixtures/mini", "content/ukraine"])
def test_byte_identical_saves_whatever_the_hash_seed(folder: str) -> None:
    """Same content, seed and choices give byte-identical saves under any PYTHONHASHSEED."""
    outputs = []
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(ROOT / folder)],
            capture_output=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]


def test_saves_are_deterministic_in_process(mini: Scenario, tmp_path: Path) -> None:
    a = new_game(mini, 4, None, hidden=True)
    b = new_game(mini, 4, None, hidden=True)
    assert dumps_save(mini, a) == dumps_save(mini, b)


# --- the random streams (rng_version 2) and the replay of a script ------------------------

NOOP_CHANCE = '{ meter = "morale", add = 0, chance = 0.5 }, '
"""An effect that changes nothing but draws a number (a chance) wherever it applies."""


@pytest.fixture(scope="module")
def mini_extra_draw(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """Mini with one more draw whenever 'Wait' is chosen (a chance on an effect that
    changes nothing), before its other effects."""
    text = (MINI / "scenario.toml").read_text(encoding="utf-8")
    wait = 'effects = [{ set_flag = "talks" }'
    assert text.count(wait) == 1
    folder = tmp_path_factory.mktemp("mini_extra_draw")
    (folder / "scenario.toml").write_text(
        text.replace(wait, "effects = [" + NOOP_CHANCE + wait[len("effects = [") :]),
        encoding="utf-8",
    )
    return load_scenario(folder)


def play_picks(scenario: Scenario, setup: Setup, picks: list[int]) -> GameState:
    """Play ``setup`` to its end, taking option ``picks[k] % len(options)`` at decision k."""
    state = start(scenario, setup)
    k = 0
    while not is_over(state):
        options = choices(scenario, state)
        state, _ = choose(scenario, state, options[picks[k % len(picks)] % len(options)].id)
        k += 1
    return state


class TestStreams:
    """New games draw each number from its own turn's stream for its purpose."""

    @settings(max_examples=60, deadline=None)
    @given(
        seed=st.integers(0, 2**63 - 1),
        lens=st.sampled_from(["hawkish", "dovish"]),
        picks=st.lists(st.integers(0, 3), min_size=1, max_size=8),
    )
    def test_an_extra_draw_changes_no_other(
        self, mini: Scenario, mini_extra_draw: Scenario, seed: int, lens: str, picks: list[int]
    ) -> None:
        """One more draw in the turns 'Wait' is chosen (an effect's chance) leaves every
        other draw as it was: event rolls, deals and other chances, in that turn and the
        next, so the game is the same (rng_version 2)."""
        setup = Setup(seed=seed, lens=lens)
        plain = play_picks(mini, setup, picks)
        extra = play_picks(mini_extra_draw, setup, picks)
        ids = tuple(m.id for m in mini.meters)
        assert extra.log == plain.log
        assert extra.to_dict(ids) == plain.to_dict(ids)

    def test_with_one_stream_an_extra_draw_shifts_the_rest(
        self, mini: Scenario, mini_extra_draw: Scenario
    ) -> None:
        """The same extra draw with rng_version 1 (one sequential stream per game)
        changes some later draw in some game: what save format 2 fixes."""
        ids = tuple(m.id for m in mini.meters)
        differ = 0
        for seed in range(40):
            setup = Setup(seed=seed, lens="hawkish", rng_version=1)
            plain = play_picks(mini, setup, [1, 1, 0, 1])
            extra = play_picks(mini_extra_draw, setup, [1, 1, 0, 1])
            differ += extra.to_dict(ids) != plain.to_dict(ids) or extra.log != plain.log
        assert differ

    @settings(max_examples=30, deadline=None)
    @given(seed=st.integers(0, 2**63 - 1), picks=st.lists(st.integers(0, 3), min_size=1))
    def test_the_key_never_moves(self, mini: Scenario, seed: int, picks: list[int]) -> None:
        """With rng_version 2 the state's rng is the game's key throughout: nothing is
        drawn from it sequentially."""
        state = play_picks(mini, Setup(seed=seed, lens="hawkish"), picks)
        assert state.rng == start(mini, Setup(seed=seed, lens="hawkish")).rng

    def test_unknown_rng_version(self, mini: Scenario) -> None:
        with pytest.raises(EngineError, match="rng_version"):
            start(mini, Setup(seed=1, rng_version=3))


class TestScript:
    """A game replaying a script meets the script's cards and events wherever they may
    come up, and says where they do not."""

    def test_own_script_under_own_lens_is_the_same_game(self, scenario: Scenario) -> None:
        for seed in range(10):
            setup = Setup(seed=seed, hidden=True)
            state = play_picks(scenario, setup, [seed, 1, 2])
            steps = replay(scenario, setup, state.log)
            script = script_of([steps[0].before, *(step.after for step in steps)])
            again = final_state(scenario, Setup(seed=seed, hidden=True, script=script), state.log)
            ids = tuple(m.id for m in scenario.meters)
            assert again.to_dict(ids) == state.to_dict(ids)

    def test_a_scripted_card_that_cannot_come_up_is_replaced(self, mini: Scenario) -> None:
        """'Talks' needs the talks flag; after 'Push' it is not set, so the scripted
        card is not dealt: the ordinary deal fills the hand, and a note says why."""
        script = {1: (Decision("card", "pressure"),), 2: (Decision("card", "talks_card"),)}
        state = start(mini, Setup(seed=1, lens="hawkish", script=script))
        state, report = choose(mini, state, "push")
        assert current_decision(state) == Decision("card", "pressure")
        assert "script: card talks_card is not dealt again: its condition does not hold" in (
            report.notes
        )

    def test_a_scripted_card_is_dealt_when_it_may(self, mini: Scenario) -> None:
        script = {1: (Decision("card", "pressure"),), 2: (Decision("card", "talks_card"),)}
        for seed in range(20):
            state = start(mini, Setup(seed=seed, lens="hawkish", script=script))
            state, _ = choose(mini, state, "wait")  # sets the talks flag
            assert current_decision(state) == Decision("card", "talks_card")

    def test_a_scripted_event_fires_whenever_its_condition_holds(self, mini: Scenario) -> None:
        """The storm (a 50% chance when stability < 45) fires at every seed when
        scripted, and at some seeds only when not."""
        script = {2: (Decision("event", "storm"),)}
        fired = {True: 0, False: 0}
        for seed in range(30):
            for scripted in (True, False):
                setup = Setup(seed=seed, lens="hawkish", script=script if scripted else {})
                state, _ = choose(mini, start(mini, setup), "push")  # stability 50 -> 35
                fired[scripted] += "storm" in state.news
        assert fired[True] == 30 and 0 < fired[False] < 30

    def test_a_script_names_only_what_exists(self, mini: Scenario) -> None:
        with pytest.raises(EngineError, match="unknown card 'nope' in the script"):
            opening(mini, Setup(seed=1, script={2: (Decision("card", "nope"),)}))
