"""The committed JSON Schema is what the models generate (scripts/generate_manifest_schema.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_manifest_schema", ROOT / "scripts" / "generate_manifest_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8")
    assert committed == _generator().render(), "stale: run python scripts/generate_manifest_schema.py"


def test_schema_forbids_unknown_keys_and_requires_identity() -> None:
    schema = json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert {"schema_version", "model_name", "version", "artifact", "owner"} <= set(schema["required"])
    assert schema["properties"]["schema_version"]["const"] == "1"
