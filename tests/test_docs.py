"""Documentation that must stay true: the authoring guide's key reference and the schema."""

from __future__ import annotations

import json

from game.content.schema import content_schema, reference_markdown

from .helpers import ROOT


def test_authoring_guide_reference_matches_the_models() -> None:
    """content/README.md embeds the generated reference; regenerate it when models change."""
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    section = guide.split("<!-- reference:start -->")[1].split("<!-- reference:end -->")[0]
    assert section.strip() == reference_markdown().strip()


def test_shipped_schema_file_is_current() -> None:
    """content/schema.json (used by editors through .taplo.toml) equals `offramp schema`."""
    shipped = json.loads((ROOT / "content" / "schema.json").read_text(encoding="utf-8"))
    assert shipped == content_schema()


def test_guide_mentions_every_top_level_table() -> None:
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    for table in content_schema()["properties"]:
        assert table in guide, table


def test_guide_is_scenario_neutral_and_documents_the_designers_loop() -> None:
    """The guide and the key reference speak of any scenario, and explain what a
    designer meets: own sources and their text, warnings, every coverage term, the
    title screen's summary length."""
    from game.sim.coverage import TERMS
    from game.ui.screens.title import SUMMARY_LIMIT

    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    assert "President" not in guide and "President" not in reference_markdown()
    assert "the player's advisers" in reference_markdown()
    assert "[[sources]]" in guide and 'text = "sources/' in guide and "¶1" in guide
    assert "--strict" in guide and "warning:" in guide
    flat = " ".join(guide.split()).lower()
    for term, _ in TERMS:
        assert term.lower() in flat, term
    assert f"about {SUMMARY_LIMIT} characters" in flat
