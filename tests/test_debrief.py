"""The debrief a student reads at the end: built from replays of the engine, checked
against those replays on the mini and Cuba fixtures, and rendered as Markdown."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import pytest

from game.content import Scenario
from game.debrief import (
    Debrief,
    build_debrief,
    citations_of,
    counterfactual,
    debrief_markdown,
    play_counterfactual,
    sparkline,
)
from game.engine import GameState, choices, choose, inject, is_over, new_game, outcome, start
from game.engine.replay import Setup, replay, script_of

from .helpers import CUBA, MINI, SHIPPED, Picker, anyone, first, last, scenario_at


@dataclass(frozen=True)
class Game:
    """A finished game and how it was played."""

    folder: Path
    state: GameState
    label: str

    @property
    def scenario(self) -> Scenario:
        return scenario_at(self.folder)


def play(
    scenario: Scenario,
    seed: int,
    lens: str | None,
    pick: Picker,
    *,
    hidden: bool = False,
    injects: Mapping[int, str] | None = None,
) -> GameState:
    """Play to the end with ``pick``; push each inject at the first decision of its turn."""
    state = new_game(scenario, seed, lens, hidden=hidden)
    rnd = random.Random(seed)
    pushed: set[int] = set()
    while not is_over(state):
        for turn, event in (injects or {}).items():
            if turn == state.turn and turn not in pushed:
                state = inject(scenario, state, event)
                pushed.add(turn)
        state, _ = choose(scenario, state, pick(choices(scenario, state), rnd).id)
    return state


def make_games() -> list[Game]:
    games = []
    for folder in (MINI, CUBA):
        scenario = scenario_at(folder)
        for lens in scenario.lenses:
            for name, pick in (("first", first), ("last", last)):
                state = play(scenario, 1, lens.id, pick)
                games.append(Game(folder, state, f"{folder.name}-{lens.id}-{name}"))
            for seed in range(6):
                state = play(scenario, seed, lens.id, anyone, hidden=seed % 2 == 0)
                games.append(Game(folder, state, f"{folder.name}-{lens.id}-random{seed}"))
    mini = scenario_at(MINI)
    for lens in mini.lenses:
        for seed in range(4):
            state = play(mini, seed, lens.id, anyone, injects={2: "summit", 4: "summit"})
            games.append(Game(MINI, state, f"mini-{lens.id}-inject{seed}"))
    return games


GAMES = make_games()


def replay_states(scenario: Scenario, state: GameState) -> list[GameState]:
    """A game's first state and its state after each log entry."""
    steps = replay(scenario, Setup.of(state), state.log)
    return [steps[0].before if steps else start(scenario, Setup.of(state))] + [
        step.after for step in steps
    ]


@pytest.fixture(scope="module")
def debriefs() -> dict[str, Debrief]:
    """The debrief of every game, built once."""
    return {g.label: build_debrief(g.scenario, g.state) for g in GAMES}


def each_game() -> pytest.MarkDecorator:
    return pytest.mark.parametrize("game", GAMES, ids=[g.label for g in GAMES])


def meter_size(scenario: Scenario, label: str, before: int, after: int) -> Fraction:
    meter = next(m for m in scenario.meters if m.label == label)
    return Fraction(abs(after - before), meter.max - meter.min)


class TestEnding:
    """The debrief names the ending the game reached, when, and how it scored."""

    @each_game()
    def test_ending_turn_and_scores(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Ending, turn, scores, verdicts and lens are those of the finished game."""
        d, sc, st = debriefs[game.label], game.scenario, game.state
        result = outcome(sc, st)
        assert result is not None
        assert d.ending_id == st.ending == result.ending.id
        assert d.ending_title == result.ending.title and d.ending_text == result.ending.text
        assert d.turn == st.turn
        labels = {c.label: c.id for c in sc.criteria}
        assert [labels[label] for label, _ in d.scores] == [
            c.id for c in sc.criteria if c.id in result.ending.scores
        ]
        assert all(score == result.scores[labels[label]] for label, score in d.scores)
        assert [v for _, v in d.verdicts] == [
            result.ending.verdicts[s.id] for s in sc.sources if s.id in result.ending.verdicts
        ]
        assert d.lens_id == st.lens and d.lens_name == sc.lens[st.lens].name
        assert d.lens_was_hidden == st.lens_hidden
        assert d.lens_source.startswith(sc.lens[st.lens].source)

    @each_game()
    def test_questions_ending_then_lens(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Questions are the ending's, then the lens's."""
        sc, st = game.scenario, game.state
        assert is_over(st)
        expected = [*sc.ending[st.ending].questions, *sc.lens[st.lens].questions]
        assert list(debriefs[game.label].questions) == expected

    def test_unfinished_game_raises(self) -> None:
        """A game still in progress has no debrief."""
        mini = scenario_at(MINI)
        state = new_game(mini, 3, "hawkish")
        with pytest.raises(ValueError, match="not over"):
            build_debrief(mini, state)
        state, _ = choose(mini, state, choices(mini, state)[-1].id)
        assert not is_over(state)
        with pytest.raises(ValueError):
            build_debrief(mini, state)

    def test_log_must_reproduce_the_game(self) -> None:
        """A state whose meters its log does not reproduce is refused."""
        mini = scenario_at(MINI)
        state = play(mini, 2, "dovish", last)
        forged = state.copy()
        forged.meters[1] += 1
        with pytest.raises(ValueError, match="reproduce"):
            build_debrief(mini, forged)

    @pytest.mark.parametrize("game", GAMES[::5], ids=[g.label for g in GAMES[::5]])
    def test_identical_across_builds(self, game: Game) -> None:
        """Two builds of the same game give equal debriefs and the same Markdown."""
        one = build_debrief(game.scenario, game.state)
        two = build_debrief(game.scenario, game.state.copy())
        assert one == two
        assert debrief_markdown(one) == debrief_markdown(two)


class TestTimeline:
    """The timeline lists every log entry in order, with its effects and news."""

    @each_game()
    def test_one_entry_per_log_entry(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Turn, kind and title follow the log; effects are at most four, largest first."""
        d, sc = debriefs[game.label], game.scenario
        log = game.state.log
        assert [(e.turn, e.kind) for e in d.timeline] == [(e.turn, e.kind) for e in log]
        steps = replay(sc, Setup.of(game.state), log)
        for entry, step in zip(d.timeline, steps, strict=True):
            item = sc.event[step.entry.id] if step.entry.kind != "card" else sc.card[step.entry.id]
            assert entry.title == item.title
            if step.report is None:
                assert entry.option == "" and entry.changes == () and entry.news == ()
                continue
            chosen = next(o for o in item.options if o.id == step.entry.option)
            assert entry.option == chosen.text
            own = [c for c in step.report.changes if c.phase == "decision"]
            assert len(entry.changes) == min(4, len(own))
            meters = sorted(
                (c for c in own if c.target == "meter"),
                key=lambda c: -Fraction(abs(c.delta), sc.meter[c.id].max - sc.meter[c.id].min),
            )
            if meters:
                assert entry.changes[0].startswith(sc.meter[meters[0].id].label)
            assert entry.news == tuple(sc.event[e].title for e in step.report.news)


class TestHistory:
    """The meter history: one true value per turn plus the final one, for every meter."""

    @each_game()
    def test_shape_and_final(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Every meter, ladder first, has turn + 1 values ending at the final state."""
        d, sc, st = debriefs[game.label], game.scenario, game.state
        assert list(d.history) == [m.label for m in sc.meters]
        assert next(iter(d.history)) == sc.ladder.label
        for i, meter in enumerate(sc.meters):
            values = d.history[meter.label]
            assert len(values) == st.turn + 1
            assert values[-1] == st.meters[i]
            assert all(meter.min <= v <= meter.max for v in values)

    @each_game()
    def test_matches_replayed_states(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """The value at each turn's start is the replayed state at that turn's first decision."""
        d, sc = debriefs[game.label], game.scenario
        steps = replay(sc, Setup.of(game.state), game.state.log)
        starts = [steps[0].before] if steps else []
        starts += [s.after for s in steps if s.after.turn > s.before.turn]
        assert starts, "the game had no turns"
        for state in starts:
            for i, meter in enumerate(sc.meters):
                assert d.history[meter.label][state.turn - 1] == state.meters[i], (
                    meter.label,
                    state.turn,
                )

    def test_hidden_meters_shown_true(self) -> None:
        """A hidden meter's true values appear, and they move when the game moved them."""
        cuba = scenario_at(CUBA)
        hidden = [m for m in cuba.meters if m.visibility == "hidden"]
        assert hidden, "the Cuba fixture has a hidden meter"
        moved = False
        for g in GAMES:
            if g.folder != CUBA:
                continue
            values = build_debrief(cuba, g.state).history[hidden[0].label]
            start = new_game(cuba, g.state.seed, g.state.lens)
            assert values[0] == start.meters[cuba.meters.index(hidden[0])]
            moved = moved or len(set(values)) > 1
        assert moved


class TestMoments:
    """Decisive moments are the largest swings, sorted, each with its cause and sources."""

    @each_game()
    def test_largest_sorted_and_real(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """3–5 swings (fewer only if the game had fewer), largest first, ties by turn."""
        d, sc = debriefs[game.label], game.scenario
        steps = replay(sc, Setup.of(game.state), game.state.log)
        swings = [c for s in steps if s.report for c in s.report.changes if c.target == "meter"]
        assert min(3, len(swings)) <= len(d.moments) <= 5
        sizes = [meter_size(sc, m.meter, m.before, m.after) for m in d.moments]
        keys = [(-size, m.turn) for size, m in zip(sizes, d.moments, strict=True)]
        assert keys == sorted(keys)
        real = Counter((c.turn, sc.meter[c.id].label, c.before, c.after) for c in swings)
        shown = Counter((m.turn, m.meter, m.before, m.after) for m in d.moments)
        assert not shown - real
        if d.moments:
            unlisted = real - shown
            assert all(
                meter_size(sc, label, before, after) <= sizes[-1]
                for _, label, before, after in unlisted
            )
            assert all(m.cause for m in d.moments)

    def test_cite_the_option(self) -> None:
        """Pushing every turn: each moment cites the option that caused it."""
        mini = scenario_at(MINI)
        state = play(mini, 4, "hawkish", first)
        push = mini.card["pressure"].options[0]
        d = build_debrief(mini, state)
        assert d.moments
        for m in d.moments:
            assert m.cause == push.text
            assert m.citations == tuple(c.label() for c in push.citations)

    def test_scaled_change_cites_the_lens_rule(self) -> None:
        """A change a lens rule scaled cites the option and the rule, and says why."""
        mini = scenario_at(MINI)
        state = play(mini, 4, "hawkish", first)
        steps = replay(mini, Setup.of(state), state.log)
        scaled = [c for s in steps if s.report for c in s.report.changes if c.cause.lens_rule]
        assert scaled
        rule = mini.lens["hawkish"].rules[0]
        push = mini.card["pressure"].options[0]
        labels = [c.label() for c in citations_of(mini, scaled[0].cause)]
        assert labels == [c.label() for c in (*push.citations, *rule.citations)]

    def test_cuba_moments_cite(self) -> None:
        """In the Cuba games, every moment caused by a cited item carries its citations."""
        cuba = scenario_at(CUBA)
        cited = 0
        for g in GAMES:
            if g.folder == CUBA:
                for m in build_debrief(cuba, g.state).moments:
                    cited += bool(m.citations)
                    assert all("¶" in c for c in m.citations)
        assert cited


class TestCounterfactuals:
    """The same choices under each other lens; under the game's own lens, the same game."""

    @each_game()
    def test_own_lens_reproduces(self, game: Game) -> None:
        """Replaying under the game's own lens gives the same ending, turn and meters."""
        sc, st = game.scenario, game.state
        cf = counterfactual(sc, st, st.lens)
        result = outcome(sc, st)
        assert result is not None
        assert (cf.ending, cf.turns, cf.total_score) == (st.ending, st.turn, result.total)
        assert cf.substituted == 0
        played = play_counterfactual(sc, st, st.lens)
        assert played.unused == 0
        assert played.state.meters == st.meters and played.state.flags == st.flags
        assert sorted(played.state.log, key=repr) == sorted(st.log, key=repr)

    @each_game()
    def test_own_lens_history_is_the_games(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Under the game's own lens, the counterfactual's meter history is the game's, so
        the two can be drawn side by side on the same scale."""
        sc, st = game.scenario, game.state
        assert counterfactual(sc, st, st.lens).history == debriefs[game.label].history

    @each_game()
    def test_each_lens_keeps_its_history(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Every counterfactual has a value per turn and meter, ending at its own end."""
        sc = game.scenario
        for cf in debriefs[game.label].counterfactuals:
            assert list(cf.history) == [m.label for m in sc.meters]
            for label, values in cf.history.items():
                assert len(values) == cf.turns + 1, (cf.lens, label)
                low, high = debriefs[game.label].ranges[label]
                assert all(low <= v <= high for v in values)

    @each_game()
    def test_one_per_other_lens(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """One counterfactual per other lens, in content order, each at a real ending."""
        d, sc, st = debriefs[game.label], game.scenario, game.state
        assert [cf.lens for cf in d.counterfactuals] == [
            lens.id for lens in sc.lenses if lens.id != st.lens
        ]
        for cf in d.counterfactuals:
            assert cf.lens_name == sc.lens[cf.lens].name
            assert cf.ending_title == sc.ending[cf.ending].title
            assert 1 <= cf.turns <= st.turn_limit
            assert cf.decisions == sum(1 for e in st.log if e.kind != "inject")
            assert 0 <= cf.replayed <= cf.decisions
            assert cf.replay_line
            assert (cf.diverged is None) == (cf.note == "" and cf.turns == st.turn)

    @each_game()
    def test_choices_follow_the_rule(self, game: Game) -> None:
        """Each counterfactual decision is the player's at that turn, or the best tag match."""
        sc, st = game.scenario, game.state
        profile: Counter[str] = Counter()
        for e in st.log:
            if e.kind != "inject":
                item = sc.item(e.kind, e.id)
                profile.update(set(next(o for o in item.options if o.id == e.option).tags))
        for lens in sc.lenses:
            played = play_counterfactual(sc, st, lens.id)
            assert is_over(played.state)
            left = [e for e in st.log if e.kind != "inject"]
            substituted = 0
            for e in played.state.log:
                if e.kind == "inject":
                    continue
                mine = next(
                    (m for m in left if (m.turn, m.kind, m.id) == (e.turn, e.kind, e.id)), None
                )
                if mine is not None:
                    left.remove(mine)
                    assert e.option == mine.option
                    continue
                substituted += 1
                item = sc.item(e.kind, e.id)
                scores = [sum(profile[t] for t in set(o.tags)) for o in item.options]
                assert e.option == item.options[scores.index(max(scores))].id
            assert played.substituted == substituted
            assert played.unused == len(left)
            assert played.replayed == sum(1 for e in st.log if e.kind != "inject") - len(left)
            cf = counterfactual(sc, st, lens.id)
            assert cf.substituted == substituted
            assert (cf.ending, cf.turns) == (played.state.ending, played.state.turn)
            assert ("differed" in cf.note) == (substituted > 0)
            assert (cf.replayed, cf.diverged) == (played.replayed, played.diverged)

    @each_game()
    def test_the_games_agree_until_they_diverge(self, game: Game) -> None:
        """Before the turn the debrief says the games diverged, the counterfactual faced
        the player's decisions, turn by turn, and took the player's options."""
        sc, st = game.scenario, game.state
        for lens in sc.lenses:
            played = play_counterfactual(sc, st, lens.id)
            until = played.diverged or max(st.turn, played.state.turn) + 1
            mine = [e for e in st.log if e.kind != "inject" and e.turn < until]
            theirs = [e for e in played.state.log if e.kind != "inject" and e.turn < until]
            assert theirs == mine
            if played.diverged is not None:
                t = played.diverged
                assert [e for e in st.log if e.kind != "inject" and e.turn == t] != [
                    e for e in played.state.log if e.kind != "inject" and e.turn == t
                ] or (st.turn == t) != (played.state.turn == t)
            else:
                assert played.state.turn == st.turn and played.substituted == 0

    def test_some_game_substitutes(self) -> None:
        """The games above do exercise substitution (otherwise the rule goes untested)."""
        assert any(
            counterfactual(g.scenario, g.state, lens.id).substituted
            for g in GAMES
            for lens in g.scenario.lenses
            if lens.id != g.state.lens
        )

    def test_most_of_the_game_is_replayed_under_every_lens(self) -> None:
        """Over 100 games of the shipped scenario (random choices, hidden lens), the
        counterfactual under each other lens replays a median of at least 80% of the
        player's decisions (benchmarks/bench_counterfactual.py: 1,000 games)."""
        sc = scenario_at(SHIPPED)
        shares: dict[str, list[float]] = {lens.id: [] for lens in sc.lenses}
        for seed in range(100):
            st = play(sc, seed, None, anyone, hidden=True)
            decisions = sum(1 for e in st.log if e.kind != "inject")
            script = script_of(replay_states(sc, st))
            for lens in sc.lenses:
                if lens.id != st.lens and decisions:
                    cf = play_counterfactual(sc, st, lens.id, script)
                    shares[lens.id].append(cf.replayed / decisions)
        for lens_id, values in shares.items():
            assert len(values) >= 10, lens_id
            assert statistics.median(values) >= 0.8, (lens_id, statistics.median(values))

    @pytest.mark.parametrize(("mine", "other"), [("hawkish", "dovish"), ("dovish", "hawkish")])
    def test_same_as_playing_the_other_lens(self, mine: str, other: str) -> None:
        """Pushing every turn: the counterfactual is the game pushed under the other lens."""
        mini = scenario_at(MINI)
        state = play(mini, 9, mine, first)
        direct = play(mini, 9, other, first)
        cf = counterfactual(mini, state, other)
        assert (cf.ending, cf.turns) == (direct.ending, direct.turn)
        assert cf.substituted == sum(1 for e in direct.log if e.turn > state.turn)


class TestMarkdown:
    """The exported Markdown is a complete document a student can read."""

    @each_game()
    def test_contains_everything(self, game: Game, debriefs: dict[str, Debrief]) -> None:
        """Ending, criteria, verdicts, timeline, meters, moments, lenses and questions."""
        d = debriefs[game.label]
        md = debrief_markdown(d)
        assert md.startswith("# ") and md.endswith("\n")
        assert d.ending_title in md and d.scenario_title in md
        for label, score in d.scores:
            assert f"| {label} | {score}/10 |" in md
        for _, verdict in d.verdicts:
            assert verdict in md
        for cf in d.counterfactuals:
            assert f"| {cf.lens_name} | {cf.ending_title} | {cf.turns} |" in md
        for n, question in enumerate(d.questions, start=1):
            assert f"{n}. {question}" in md
        for label, values in d.history.items():
            row = next(line for line in md.splitlines() if line.startswith(f"| {label} | `"))
            assert row.endswith(f"| {values[0]} | {min(values)} | {max(values)} | {values[-1]} |")
        for entry in d.timeline:
            assert entry.title.replace("|", "\\|") in md
        for m in d.moments:
            assert f"Turn {m.turn}: {m.meter} {m.before} → {m.after}" in md
            for citation in m.citations:
                assert citation in md
        assert d.lens_name in md
        head = "The hidden lens was" if d.lens_was_hidden else "You played under the lens"
        assert head in md

    def test_cuba_has_questions_and_verdicts(self, debriefs: dict[str, Debrief]) -> None:
        """The Cuba fixture's endings carry questions and verdicts, so those paths are tested."""
        cuba = [debriefs[g.label] for g in GAMES if g.folder == CUBA]
        assert any(d.questions for d in cuba) and any(d.verdicts for d in cuba)

    def test_table_cells_escape_pipes(self, debriefs: dict[str, Debrief]) -> None:
        """A '|' in content does not break the tables."""
        d = debriefs[GAMES[0].label]
        odd = replace(d, ending_title="War | peace", lens_name="A|B")
        md = debrief_markdown(odd)
        assert "War \\| peace" in md and "A\\|B" in md

    def test_sparkline(self) -> None:
        """Block characters scale to the range given: bottom is ▁, top is █, order kept."""
        assert sparkline([0, 25, 50, 75, 100], 0, 100) == "▁▃▅▆█"
        assert sparkline([50, 50], 0, 100) == "▅▅"
        assert sparkline([3, 3, 3]) == "▁▁▁"
        assert sparkline([]) == ""
        line = sparkline([1, 4, 2, 9, 5], 0, 10)
        assert line[3] == max(line) and line[0] == min(line)
