"""Goal 2, paired: under each essay's lens, what its advice gains over each other essay's.

For every lens and every other essay T, ``advocate:S:T`` (T's advocate, overruled by the
lens's author S wherever S takes a side) plays against ``advocate:T`` on the same game
seeds (``game.sim.pairs``). The gain is the mean difference of their total scores (the
criteria summed, 0-40), with its standard error; "differed" is the share of games in
which the two played any decision differently. docs/balance.md reads the table.

    .venv/bin/python docs/balance_pairs.py                    # 2,000 games a pair, seed 0
    .venv/bin/python docs/balance_pairs.py --runs 300 --seed 1
    .venv/bin/python docs/balance_pairs.py --lens decapitation_risk --other 004 --by-card

With ``--by-card``, one lens against one other essay, the author overrules on one card at
a time: what its advice on each card is worth (the cards where the two disagree).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.content import load_scenario, resolve_scenario_dir
from game.content.scenario import Scenario
from game.sim.pairs import own_advice_gains, paired_gain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lens", help="with --by-card: the lens")
    parser.add_argument("--other", help="with --by-card: the other essay")
    parser.add_argument("--by-card", action="store_true")
    parser.add_argument("scenario", nargs="?", default=None)
    args = parser.parse_args()
    scenario = load_scenario(resolve_scenario_dir(args.scenario))
    if args.by_card:
        by_card(scenario, args.lens, args.other, args.runs, args.seed)
        return
    print(f"{args.runs} games a pair, seed {args.seed}\n")
    head = "its author's advice against … (gain ± s.e., games that differed)"
    print(f"| lens | {head} | better than all? |")
    print("|---|---|---|")
    gains = own_advice_gains(scenario, args.runs, args.seed)
    for lens in scenario.lenses:
        row = [g for g in gains if g.lens == lens.id]
        if not row:
            continue
        cells = ", ".join(
            f"{g.other} {g.mean:+.2f} ± {g.error:.2f} ({g.differed:.0%})" for g in row
        )
        verdict = (
            "yes"
            if all(g.mean > 2 * g.error for g in row)
            else "no: " + ", ".join(g.other for g in row if g.mean <= 2 * g.error)
        )
        print(f"| {lens.id} ({lens.source}) | {cells} | {verdict} |")


def by_card(scenario: Scenario, lens_id: str, other: str, runs: int, seed: int) -> None:
    """What the lens's author's advice is worth card by card, against ``other``'s."""
    source = next(x.source for x in scenario.lenses if x.id == lens_id)
    print(f"{runs} games, seed {seed}: {source}'s advice against {other}'s under {lens_id}\n")
    print("| card | gain ± s.e. | games that differed |")
    print("|---|---|---|")
    for item in [*scenario.cards, *scenario.events]:
        gain = paired_gain(scenario, lens_id, source, other, runs, seed, frozenset([item.id]))
        if gain.differed:
            print(f"| {item.id} | {gain.mean:+.2f} ± {gain.error:.2f} | {gain.differed:.0%} |")


if __name__ == "__main__":
    main()
