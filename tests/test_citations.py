"""Every citation in the shipped scenario names an essay's own words, and quotes them exactly.

The essays live outside the repository, in ``../shared/essays/`` beside the checkout (as in
the team's workspace and in CI). ``body.toml`` there lists which numbered paragraphs are the
essay's own text; captions, pull-quotes, a third party's tweet and reader comments are not.
A user's clone has no such folder: the tests skip and say why. With ``CI`` set they fail
instead, so the check can never silently stop running.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, SHIPPED

ESSAYS = ROOT.parent / "shared" / "essays"
"""The source essays: ``numbered/NNN.md`` and ``body.toml``."""

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‑": "-"})


def normalise(text: str) -> str:
    """Case, whitespace, quote marks and dashes do not count when comparing a quote."""
    text = text.translate(_QUOTES).translate(_DASHES).replace('"', "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _essays_or_skip() -> Path:
    if (ESSAYS / "body.toml").is_file():
        return ESSAYS
    reason = f"the source essays are not beside this checkout ({ESSAYS} is missing)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must provide a copy of shared/ next to the clone")
    pytest.skip(reason)


def _body() -> dict[str, set[int]]:
    """Source id -> the paragraphs that are the essay's own text."""
    data = tomllib.loads((_essays_or_skip() / "body.toml").read_text(encoding="utf-8"))
    return {source: set(entry["body"]) for source, entry in data["essay"].items()}


def _paragraphs(source: str) -> dict[int, str]:
    """Paragraph number -> text, from ``numbered/NNN.md`` (each line is ``¶N  text``)."""
    text = (_essays_or_skip() / "numbered" / f"{source}.md").read_text(encoding="utf-8")
    found = re.findall(r"^¶(\d+)[ \t]+(.*)$", text, flags=re.MULTILINE)
    return {int(number): line for number, line in found}


def _citations(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key path, citation) for every entry of every ``citations`` list below ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}" if where else key
            if key == "citations" and isinstance(value, list):
                for i, citation in enumerate(value):
                    yield f"{path}[{i}]", citation
            else:
                yield from _citations(value, path)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            label = item.get("id", i) if isinstance(item, dict) else i
            yield from _citations(item, f"{where}[{label}]")


def shipped_citations() -> list[tuple[str, dict[str, Any]]]:
    """Every citation of the shipped scenario, with the file and key path that hold it."""
    found = []
    for path in sorted(SHIPPED.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found += [(f"{path.name}: {key}", c) for key, c in _citations(data, "")]
    return found


def _numbers(citation: dict[str, Any]) -> list[int]:
    paragraph = citation["paragraph"]
    return list(paragraph) if isinstance(paragraph, list) else [paragraph]


def test_the_scenario_has_citations_to_check() -> None:
    assert len(shipped_citations()) > 300


def test_every_citation_names_a_body_paragraph() -> None:
    """Captions, pull-quotes, a tweet by someone else and comments are not the author's words."""
    body = _body()
    wrong = [
        f"{where}: {c['source']} ¶{n} is not body text (body: {sorted(body.get(c['source'], []))})"
        for where, c in shipped_citations()
        for n in _numbers(c)
        if n not in body.get(c["source"], set())
    ]
    assert not wrong, "\n".join(wrong)


def test_every_quote_is_verbatim_in_the_paragraph_it_cites() -> None:
    paragraphs = {source: _paragraphs(source) for source in _body()}
    wrong = []
    for where, c in shipped_citations():
        quote = c.get("quote", "")
        if not quote:
            continue
        texts = [paragraphs.get(c["source"], {}).get(n, "") for n in _numbers(c)]
        if not any(normalise(quote) in normalise(text) for text in texts):
            wrong.append(f"{where}: {c['source']} ¶{c['paragraph']} does not say {quote!r}")
    assert not wrong, "\n".join(wrong)


def test_normalising_ignores_only_case_space_quotes_and_dashes() -> None:
    fancy = "The  ‘little green men’ — tactics"
    assert normalise(fancy) == normalise("the 'little green men' - tactics")
    assert normalise("calm heads") != normalise("calm hands")
