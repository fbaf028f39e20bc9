"""JSON Schema of the content format, generated from the models, for TOML editors."""

from __future__ import annotations

import json
from typing import Any

from game.content.models import Fragment


def content_schema() -> dict[str, Any]:
    """The JSON Schema that every scenario TOML file satisfies."""
    schema = Fragment.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Off-Ramp scenario file"
    return schema


def content_schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
