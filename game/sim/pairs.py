"""Does a lens reward its author's advice where the author gives it?  A paired comparison.

Under essay S's lens, ``advocate:S:T`` (T's advocate, overruled by S wherever S takes a
side) is played against ``advocate:T`` on the same game seeds, so the two games differ
only in S's advice on S's questions: the same cards come up until the first decision
where S and T disagree, and the game's chance draws are the same.  The mean difference of
their total scores is what S's advice gains, under S's own theory, over T's on the
questions S answers.  Where S and T give the same advice it is zero, whatever S's lens
says: two authors who agree cannot be told apart by playing their advice.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from game.content.scenario import Scenario
from game.sim.runner import game_seed, play_one
from game.sim.strategies import Strategy, make_strategy, overruled


@dataclass(frozen=True, slots=True)
class Gain:
    """What ``source``'s advice gained over ``other``'s, under ``lens``, game by game."""

    lens: str
    source: str
    other: str
    mean: float
    """Mean difference of the games' total scores (the criteria's scores summed)."""
    error: float
    """Standard error of that mean."""
    differed: float
    """Share of the games in which the two played any decision differently."""


def paired_gain(
    scenario: Scenario,
    lens: str,
    source: str,
    other: str,
    runs: int,
    seed: int = 0,
    only: frozenset[str] | None = None,
) -> Gain:
    """Play ``advocate:SOURCE:OTHER`` and ``advocate:OTHER`` under ``lens`` on the same
    ``runs`` game seeds; the mean and standard error of the difference in total score.
    With ``only`` (card and event ids), SOURCE overrules on those alone: what its advice
    there is worth."""
    name = f"advocate:{source}:{other}"
    overruled_by = (
        make_strategy(scenario, name)
        if only is None
        else Strategy(name, "", overruled(scenario, source, other, only))
    )
    plain = make_strategy(scenario, f"advocate:{other}")
    lens_index = [x.id for x in scenario.lenses].index(lens)
    diffs: list[float] = []
    differed = 0
    for game in range(runs):
        g = game_seed(seed, 0, lens_index, game)
        a = play_one(scenario, name, lens, g, strategy=overruled_by)
        b = play_one(scenario, plain.name, lens, g, strategy=plain)
        diffs.append(float(sum(a.scores) - sum(b.scores)))
        differed += a.picks != b.picks
    error = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    return Gain(lens, source, other, statistics.fmean(diffs), error, differed / runs)


def own_advice_gains(scenario: Scenario, runs: int, seed: int = 0) -> list[Gain]:
    """For every lens with a source, what that source's advice gains under it over every
    other source's (see :func:`paired_gain`)."""
    sources = [s.id for s in scenario.sources]
    return [
        paired_gain(scenario, lens.id, lens.source, other, runs, seed)
        for lens in scenario.lenses
        if lens.source in sources
        for other in sources
        if other != lens.source
    ]
