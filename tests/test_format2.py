"""Content format 2: what a designer can now say — priorities, per-effect conditions,
ladder guards, the format key — each checked on a game."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.content import ContentError, Scenario, load_scenario
from game.engine import choices, choose, is_over, new_game
from game.engine.rules import rules_for
from tests.helpers import CUBA, MINI, scenario_at
from tests.helpers import edit_toml as edit
from tests.helpers import writable_copy as copy_of


@pytest.fixture(scope="module")
def cuba() -> Scenario:
    return scenario_at(CUBA)


class TestFormatKey:
    """`format` is optional; a newer one than this version reads is refused clearly."""

    def test_old_scenarios_need_no_format(self) -> None:
        assert load_scenario(MINI).info.format == 1

    def test_newer_format(self, tmp_path: Path) -> None:
        folder = copy_of(MINI, tmp_path)
        edit(folder / "scenario.toml", "[scenario]\n", "[scenario]\nformat = 9\nnew_key = 1\n")
        with pytest.raises(ContentError) as exc:
            load_scenario(folder)
        (problem,) = exc.value.problems
        assert "made for a newer Off-Ramp" in str(problem)
        assert "scenario.format" in str(problem)


class TestPriority:
    """A card with a priority is dealt before the weighted draw; events try by priority."""

    def test_scripted_opening_always_dealt(self, cuba: Scenario) -> None:
        for seed in range(50):
            s = new_game(cuba, seed)
            assert s.pending[0].id == "photographs"

    def test_events_tried_by_priority(self, cuba: Scenario) -> None:
        order = [e.id for e in rules_for(cuba).chance_events]
        assert order[0] == "castro_cable"  # priority 5, though later in the file
        rest = [e.id for e in cuba.events if not e.inject_only and e.id != "castro_cable"]
        assert order[1:] == rest  # equal priorities keep file order


class TestEffectWhen:
    """An effect with `when` happens only if its condition holds."""

    def test_lens_conditioned_effect(self, cuba: Scenario) -> None:
        gained = {}
        for lens in ("hawk", "dove"):
            for seed in range(200):
                rnd = random.Random(seed)
                s = new_game(cuba, seed, lens)
                while not is_over(s):
                    options = choices(cuba, s)
                    ids = [o.id for o in options]
                    pick = "board" if "board" in ids else rnd.choice(ids)
                    s, report = choose(cuba, s, pick)
                    if pick == "board":
                        gained[lens] = [
                            c.delta
                            for c in report.changes
                            if c.id == "standing" and c.cause.ref == "quarantine_line.board"
                        ]
                        break
                if lens in gained:
                    break
        # the dove lens cancels nothing here: the hawk gets the conditioned +5 on top
        assert len(gained["hawk"]) == len(gained["dove"]) + 1


class TestLadderGuards:
    """`max_step` limits a climb; a rung with `only_from` is reached only from those rungs."""

    def test_climbs(self, cuba: Scenario) -> None:
        rules = rules_for(cuba)
        n = len(cuba.ladder.rungs)
        cap = rules.ladder_cap
        assert rules.max_step == 2
        assert cap[0 * n + 4] == 4  # only_from alone: max_step is the engine's, per turn
        assert cap[3 * n + 5] == 4  # exchange only from strikes: stops below
        assert cap[4 * n + 5] == 5
        assert cap[4 * n + 1] == 1  # falling is not limited

    def test_max_step_is_per_turn(self, cuba: Scenario) -> None:
        """However many changes a turn makes (an option, a dynamic, the next news), the
        ladder ends no more than `max_step` rungs above the rung the turn began on."""
        climbed = 0
        for seed in range(300):
            rnd = random.Random(seed)
            s = new_game(cuba, seed)
            start: dict[int, int] = {}
            while not is_over(s):
                s, report = choose(cuba, s, rnd.choice(choices(cuba, s)).id)
                for c in report.changes:
                    if c.target == "meter" and c.id == "readiness":
                        begun = start.setdefault(c.turn, c.before)
                        assert c.after <= begun + 2, (seed, c)
                        climbed = max(climbed, c.after - begun)
        assert climbed == 2  # the limit is reached, not just respected

    def test_games_respect_the_guards(self, cuba: Scenario) -> None:
        for seed in range(300):
            rnd = random.Random(seed)
            s = new_game(cuba, seed)
            while not is_over(s):
                s, report = choose(cuba, s, rnd.choice(choices(cuba, s)).id)
                for c in report.changes:
                    if c.target == "meter" and c.id == "readiness" and c.after > c.before:
                        assert c.after - c.before <= 2
                        if c.after == 5:
                            assert c.before == 4

    def test_unknown_rung(self, tmp_path: Path) -> None:
        folder = copy_of(CUBA, tmp_path)
        edit(folder / "scenario.toml", 'only_from = ["strikes"]', 'only_from = ["strikez"]')
        with pytest.raises(ContentError, match=r"only_from.*unknown rung 'strikez'"):
            load_scenario(folder)


class TestCatastropheAndWeight:
    """A catastrophe never counts among the best; a criterion's weight scales the total."""

    def test_in_the_simulator(self) -> None:
        from game.sim.report import best_threshold, is_best
        from game.sim.runner import GameRecord

        ukraine = scenario_at(Path(__file__).resolve().parents[1] / "content" / "ukraine")
        assert ukraine.ending["nuclear_use"].catastrophe
        blank = ((), (), (), ())
        record = GameRecord(
            "s", "l", 1, "nuclear_use", 3, *blank, scores=(0,), total=40, catastrophe=True
        )
        good = GameRecord("s", "l", 2, "negotiated_offramp", 9, *blank, scores=(0,), total=30)
        fair = GameRecord("s", "l", 3, "negotiated_offramp", 9, *blank, scores=(0,), total=20)
        threshold = best_threshold(ukraine, [record, good, fair])
        assert threshold == pytest.approx(20.0)  # 80% of the ending's mean; not the catastrophe's
        assert is_best(fair, threshold)
        assert not is_best(record, threshold) and is_best(good, threshold)
