"""Scores that follow the game: score expressions, the history they read, and the
shipped scenario's formulas agreeing with what the player watched."""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from game.content import Scenario
from game.content.conditions import ConditionError, parse_score
from game.engine import choices, choose, is_over, new_game, outcome
from game.engine.scores import final_scores
from game.engine.state import GameState
from tests.helpers import CUBA, SHIPPED, scenario_at


@pytest.fixture(scope="module")
def ukraine() -> Scenario:
    return scenario_at(SHIPPED)


def play(scenario: Scenario, seed: int) -> GameState:
    """A game played with seeded random choices to its end."""
    rnd = random.Random(seed)
    s = new_game(scenario, seed)
    while not is_over(s):
        s, _ = choose(scenario, s, rnd.choice(choices(scenario, s)).id)
    return s


def monotone(pairs: list[tuple[int, int]], rising: bool) -> bool:
    """Whether the scores of (x, score) pairs never fall (``rising``) or never rise as x
    grows: every score at a lower x is at most (at least) every score at a higher x."""
    by_x: dict[int, list[int]] = defaultdict(list)
    for x, score in pairs:
        by_x[x].append(score)
    xs = sorted(by_x)
    for lower, higher in pairwise(xs):
        if rising and max(by_x[lower]) > min(by_x[higher]):
            return False
        if not rising and min(by_x[lower]) < max(by_x[higher]):
            return False
    return True


class TestLanguage:
    """Score expressions parse into typed trees; anything else is a located error."""

    @pytest.mark.parametrize(
        "text",
        [
            "10",
            "cohesion / 10",
            "10 - peak.escalation - peak.escalation / 3",
            "min(10, max(0, 2 * (ukraine - 40) / 6))",
            "if(flag.ceasefire and turn >= 8, 7, 3)",
            "turns_at_or_above.rung.nuclear_signalling + rung.sieges",
        ],
    )
    def test_valid(self, ukraine: Scenario, text: str) -> None:
        parse_score(text, ukraine.names)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("cohesion >= 10", "a score is a number"),
            ("peak.cohesin", "unknown meter 'cohesin'"),
            ("turns_at_or_above.rung.moon", "unknown rung 'moon'"),
            ("turns_at_or_above.sieges", "expected turns_at_or_above.rung.ID"),
            ("min(3)", "two or more"),
            ("if(3, 1, 2)", "a number is not a condition"),
            ("default + 1", "only allowed in an ending's score"),
            ("cohesion ** 2", "expected a number"),
            ("open('x')", "unexpected character"),
        ],
    )
    def test_invalid(self, ukraine: Scenario, text: str, message: str) -> None:
        with pytest.raises(ConditionError, match=message.replace("(", r"\(")):
            parse_score(text, ukraine.names)

    def test_relative_forms_need_default(self, ukraine: Scenario) -> None:
        tree = parse_score("+2", ukraine.names, default=True).tree
        assert tree == parse_score("default +2", ukraine.names, default=True).tree

    @pytest.mark.parametrize("text", ["cohesion * 2 > 3", "min(1, 2) > 0", "peak.cohesion > 3"])
    def test_arithmetic_and_history_stay_out_of_conditions(
        self, ukraine: Scenario, text: str
    ) -> None:
        from game.content.conditions import parse_condition

        with pytest.raises(ConditionError, match="only allowed in score expressions"):
            parse_condition(text, ukraine.names)


class TestHistory:
    """The engine keeps the peaks and the turns per rung in the state, not in the save."""

    def test_peaks_and_rung_turns(self, ukraine: Scenario) -> None:
        for seed in range(30):
            rnd = random.Random(seed)
            s = new_game(ukraine, seed)
            peaks = list(s.meters)
            while not is_over(s):
                s, report = choose(ukraine, s, rnd.choice(choices(ukraine, s)).id)
                for change in report.changes:
                    if change.target == "meter":
                        i = ukraine.names.meters[change.id]
                        peaks[i] = max(peaks[i], change.after)
                assert sum(s.rung_turns) == s.turn - 1  # every turn ended so far, once
            assert s.peak == peaks

    def test_not_in_the_snapshot(self, ukraine: Scenario) -> None:
        s = play(ukraine, 3)
        snapshot = s.to_dict(tuple(m.id for m in ukraine.meters))
        assert "peak" not in snapshot and "rung_turns" not in snapshot


class TestShippedFormulas:
    """In 1,000 games, the shipped scores agree with what the player watched."""

    @pytest.fixture(scope="class")
    def games(self, ukraine: Scenario) -> list[GameState]:
        return [play(ukraine, seed) for seed in range(1000)]

    def test_cohesion_score_follows_final_cohesion(
        self, ukraine: Scenario, games: list[GameState]
    ) -> None:
        i = ukraine.names.meters["cohesion"]
        by_ending: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s in games:
            result = outcome(ukraine, s)
            assert result is not None
            by_ending[s.ending or ""].append((s.meters[i], result.scores["cohesion"]))
        for ending, pairs in by_ending.items():
            assert monotone(pairs, rising=True), f"{ending}: cohesion score not monotone"

    def test_escalation_score_falls_with_the_peak_rung(
        self, ukraine: Scenario, games: list[GameState]
    ) -> None:
        by_ending: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s in games:
            result = outcome(ukraine, s)
            assert result is not None
            by_ending[s.ending or ""].append((s.peak[0], result.scores["escalation"]))
        for ending, pairs in by_ending.items():
            assert monotone(pairs, rising=False), f"{ending}: escalation score rises"
        peaks = {s.peak[0] for s in games}
        assert len(peaks) >= 3  # the test sees games of several peaks

    def test_a_fractured_west_does_not_score_as_united(
        self, ukraine: Scenario, games: list[GameState]
    ) -> None:
        i = ukraine.names.meters["cohesion"]
        for s in games:
            result = outcome(ukraine, s)
            assert result is not None
            if s.meters[i] < 25:  # "Fractured"
                assert result.scores["cohesion"] <= 3  # 2, +1 for a Russian exhaustion

    def test_scores_in_range_and_total_weighted(
        self, ukraine: Scenario, games: list[GameState]
    ) -> None:
        weight = {c.id: c.weight for c in ukraine.criteria}
        for s in games[:200]:
            result = outcome(ukraine, s)
            assert result is not None
            assert set(result.scores) == {c.id for c in ukraine.criteria}
            assert all(0 <= v <= 10 for v in result.scores.values())
            assert result.total == sum(v * weight[c] for c, v in result.scores.items())


class TestEndingForms:
    """An ending gives a number, adds to the criterion's score, caps it or replaces it."""

    def test_forms(self, ukraine: Scenario) -> None:
        s = play(ukraine, 5)
        cohesion = s.meters[ukraine.names.meters["cohesion"]]
        for ending in ukraine.endings:
            scores = final_scores(ukraine, s, ending)
            value = ending.scores.get("cohesion")
            if value is None:
                assert scores["cohesion"] == cohesion // 10
            elif value == "+1":
                assert scores["cohesion"] == min(10, cohesion // 10 + 1)
            elif isinstance(value, str) and value.startswith("min(default, "):
                cap = int(value.removeprefix("min(default, ").rstrip(")"))
                assert scores["cohesion"] == min(cap, cohesion // 10)

    def test_clamped(self, tmp_path: Path) -> None:
        import shutil

        from game.content import load_scenario

        folder = tmp_path / "cuba"
        shutil.copytree(CUBA, folder)
        path = folder / "scenario.toml"
        text = path.read_text()
        assert "[[criteria]]" in text
        path.write_text(text.replace("[[criteria]]", '[[criteria]]\nscore = "100 - turn"', 1))
        sc = load_scenario(folder)
        s = play(sc, 1)
        first = sc.criteria[0].id
        for ending in sc.endings:
            if first not in ending.scores:
                assert final_scores(sc, s, ending)[first] == 10
