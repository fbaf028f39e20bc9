"""A second scenario on another crisis (Cuba, 1962) runs on the same engine, commands and
simulator: nothing about the shipped scenario is built into the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import Scenario
from game.content.conditions import names_used
from game.engine import choices, choose, current_decision, is_over, new_game, outcome
from game.engine.rules import rules_for
from game.sim import default_strategy_names

from .helpers import CUBA, offramp, scenario_at


@pytest.fixture(scope="module")
def cuba() -> Scenario:
    return scenario_at(CUBA)


def test_validates() -> None:
    result = offramp("validate", str(CUBA))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "OK — scenario 'cuba': 8 cards, 5 events, 5 endings, 2 lenses, 6 rungs." in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("seed", "answers", "lens"),
    [(7, "1", None), (3, "2", "hawk"), (11, "3\n2\n1", "dove"), (5, "2\n1", None)],
)
def test_plays_in_plain_mode_to_an_ending(
    tmp_path: Path, cuba: Scenario, seed: int, answers: str, lens: str | None
) -> None:
    stdin = "\n".join([answers] * 200) + "\n"
    args = ["play", "--plain", "--seed", str(seed), "--scenario", str(CUBA)]
    args += ["--saves", str(tmp_path)] + (["--lens", lens] if lens else [])
    result = offramp(*args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    found = re.search(r"^Debrief. Ending on turn (\d+): (.+)\.$", result.stdout, re.MULTILINE)
    assert found, result.stdout[-2000:]
    assert 1 <= int(found.group(1)) <= cuba.info.turn_limit
    assert found.group(2) in {e.title for e in cuba.endings}
    # the first month is October 1962; in play, the hidden meter is never shown with a
    # number (the debrief shows the true values afterwards)
    out = result.stdout[: found.start()]
    assert "Turn 1 of 10: October 1962." in out
    assert "Khrushchev's room to retreat: hidden" in out
    assert not re.search(r"Khrushchev's room to retreat: \d", out)
    assert "Missile sites operational: about" in out  # the estimate, with its band
    assert list(tmp_path.glob("*.toml")), "no autosave was written"


def test_simulates(cuba: Scenario) -> None:
    result = offramp("simulate", str(CUBA), "--runs", "50", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    games = 50 * len(default_strategy_names(cuba)) * len(cuba.lenses)
    assert f"{cuba.info.title}: {games} games, seed 0" in result.stdout
    assert "Endings never reached (0): none" in result.stdout


class TestContent:
    """The fixture keeps one of every mechanism, so it stays a complete second example."""

    def test_split_over_files(self) -> None:
        assert len(list(CUBA.glob("*.toml"))) == 3

    def test_state(self, cuba: Scenario) -> None:
        assert cuba.ladder.id != "escalation"  # no meter name is special to the engine
        assert 5 <= len(cuba.ladder.rungs) <= 6
        assert cuba.ladder.top_ending in cuba.ending
        visibility = [m.visibility for m in cuba.meters[1:]]
        assert 3 <= len(visibility) <= 4
        assert "estimate" in visibility and "hidden" in visibility
        assert cuba.flags and cuba.glossary and cuba.briefing.sections and cuba.strategies
        assert len(cuba.sources) >= 2 and cuba.criteria

    def test_cards_and_events(self, cuba: Scenario) -> None:
        assert 6 <= len(cuba.cards) <= 8
        for card in cuba.cards:
            assert 2 <= len(card.options) <= 4
            for option in card.options:
                assert option.tags and option.citations, f"{card.id}.{option.id}"
        assert 4 <= len(cuba.events) <= 6
        assert any(e.options for e in cuba.events)
        assert any(e.inject_only for e in cuba.events)
        assert any(e.chance < 1 for e in cuba.events)
        # a chain: an event's condition needs a flag that another event sets
        set_by_events = {
            f.set_flag: e.id for e in cuba.events for f in e.effects if f.set_flag is not None
        }
        chained = [
            e.id
            for e in cuba.events
            for kind, name in names_used(cuba.conditions[e.when])
            if kind == "flag" and set_by_events.get(name, e.id) != e.id
        ]
        assert chained == ["submarine"]

    def test_dynamics_endings_lenses(self, cuba: Scenario) -> None:
        assert 1 <= len(cuba.dynamics) <= 2
        assert any(
            kind == "month"
            for d in cuba.dynamics
            for kind, _ in names_used(cuba.conditions[d.when])
        )
        assert 4 <= len(cuba.endings) <= 5
        assert len(cuba.lenses) == 2
        rules = [r for lens in cuba.lenses for r in lens.rules]
        assert any(r.scale for r in rules) and any(r.cancel for r in rules)
        assert any(r.replace for r in rules) and any(r.effects for r in rules)
        assert any(r.when.strip() != "true" for r in rules)


# --- any sequence of legal choices -------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    lens=st.sampled_from([None, "hawk", "dove"]),
    inject_turn=st.none() | st.integers(1, 10),
    picks=st.data(),
)
def test_any_legal_play_ends_by_the_turn_limit_with_meters_in_range(
    seed: int, lens: str | None, inject_turn: int | None, picks: st.DataObject
) -> None:
    cuba = scenario_at(CUBA)
    rules = rules_for(cuba)
    schedule = {inject_turn: ["un_showdown"]} if inject_turn else None
    state = new_game(cuba, seed, lens, schedule=schedule)
    start = state
    events_with_choice = sum(1 for e in cuba.events if e.options)
    budget = cuba.info.turn_limit * (cuba.info.cards_per_turn + events_with_choice)
    taken: list[str] = []
    while not is_over(state):
        decision = current_decision(state)
        assert decision is not None
        options = choices(cuba, state)
        assert 2 <= len(options) <= 4
        option = options[picks.draw(st.integers(0, len(options) - 1))].id
        taken.append(option)
        state, report = choose(cuba, state, option)
        assert report.option == option and report.ending == state.ending
        for i, value in enumerate(state.meters):
            assert rules.lo[i] <= value <= rules.hi[i], (rules.meter_ids[i], value)
        for i, spread in enumerate(state.uncertainty):
            assert 0 <= spread <= rules.hi[i] - rules.lo[i]
        assert 1 <= state.turn <= cuba.info.turn_limit
        assert state.month == (10 - 1 + state.turn - 1) % 12 + 1  # starts in October
        assert len(taken) <= budget, "the game did not end by its turn limit"
    result = outcome(cuba, state)
    assert result is not None and result.ending.id in cuba.ending
    assert result.turn <= cuba.info.turn_limit
    if state.ending == cuba.info.default_ending:
        assert state.turn == cuba.info.turn_limit  # the standoff comes only at the limit
    # the same seed and choices replay to the same game
    again = start
    for option in taken:
        again, _ = choose(cuba, again, option)
    assert again.to_dict(rules.meter_ids) == state.to_dict(rules.meter_ids)
