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
