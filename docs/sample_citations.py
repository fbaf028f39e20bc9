"""Draw a random sample of the shipped scenario's citations, to read against their paragraphs.

Prints the seed first, so a sample can be drawn again; then, per citation, where it is,
what it is cited for (the option's text, the rule's or effect's `why`), its stance and
quote, and the paragraph it names.  The verdicts go in docs/fidelity.md.

    .venv/bin/python docs/sample_citations.py              # a fresh seed, 60 citations
    .venv/bin/python docs/sample_citations.py --seed 1412  # the same sample again

It reads the essays from ../shared/essays/ beside the checkout, as tests/test_citations.py
does (whose walk over the content it reuses).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import SHIPPED
from tests.test_citations import _paragraphs, shipped_citations

_STEP = re.compile(r"([A-Za-z_]+)(?:\[([^\]]+)\])?")


def owner(key: str) -> dict[str, Any]:
    """The table holding the citation at ``key`` ("file.toml: cards[x].options[y].citations[0]")."""
    file, _, path = key.partition(": ")
    node: Any = tomllib.loads((SHIPPED / file).read_text(encoding="utf-8"))
    found: dict[str, Any] = node
    for step in path.split(".")[:-1]:
        match = _STEP.fullmatch(step)
        if match is None:
            raise ValueError(f"{key}: cannot follow {step!r}")
        name, label = match.groups()
        node = node[name]
        if label is not None:
            node = next(
                (x for x in node if isinstance(x, dict) and x.get("id") == label),
                node[int(label)] if label.isdigit() else None,
            )
        if isinstance(node, dict):
            found = node
    return found


def claim(table: dict[str, Any]) -> str:
    """What the citation is offered for: an item's text, why, label or summary."""
    for field in ("text", "why", "label", "summary", "description", "title"):
        if isinstance(table.get(field), str):
            return " ".join(table[field].split())
    return "(no text)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None, help="default: a fresh one, printed")
    parser.add_argument("-n", type=int, default=60, help="citations to draw (default 60)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10_000)
    population = shipped_citations()
    sample = random.Random(seed).sample(population, min(args.n, len(population)))
    print(f"seed {seed}: {len(sample)} of {len(population)} citations\n")
    for number, (key, citation) in enumerate(sample, 1):
        source, paragraphs = citation["source"], citation["paragraph"]
        text = _paragraphs(source)
        cited = paragraphs if isinstance(paragraphs, list) else [paragraphs]
        table = owner(key)
        print(f"{number}. {key}  [{table.get('id', '')}]")
        print(f"   {source} ¶{', ¶'.join(map(str, cited))} {citation.get('stance', 'for')}")
        print(textwrap.indent(textwrap.fill(f"claim: {claim(table)}", 96), "   "))
        if citation.get("quote"):
            print(f'   quote: "{citation["quote"]}"')
        for p in cited:
            print(textwrap.indent(textwrap.fill(f"¶{p}: {text.get(p, '(missing)')}", 96), "   "))
        print()


if __name__ == "__main__":
    main()
