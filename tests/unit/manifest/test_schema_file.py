"""The committed JSON Schema is what the models generate (scripts/generate_schemas.py)."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.generate_schemas import render

ROOT = Path(__file__).resolve().parents[3]


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8")
    assert committed == render("manifest"), "stale: run python scripts/generate_schemas.py"


def test_schema_forbids_unknown_keys_and_requires_identity() -> None:
    schema = json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert {"schema_version", "model_name", "version", "artifact", "owner"} <= set(schema["required"])
    assert schema["properties"]["schema_version"]["const"] == "1"
