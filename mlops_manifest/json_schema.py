"""The committed JSON Schema documents (manifest, training spec): a model's schema, and writing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def schema_document(model: type[BaseModel], schema_id: str) -> str:
    """The model's validation schema (draft 2020-12) with its id, as the committed file holds it."""
    schema: dict[str, Any] = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = schema_id
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write(output: Path, text: str) -> None:
    """Write a generated document and say where."""
    output.parent.mkdir(exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
