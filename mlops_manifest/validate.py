"""Turn raw manifest bytes into a Manifest or the complete list of its problems."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mlops_manifest.problems import Problem, describe, from_pydantic_errors

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest

MAX_MANIFEST_BYTES = 1_048_576


def validate_manifest(raw: bytes) -> Manifest | list[Problem]:
    """Validate a manifest document; return the model, or every problem found."""
    # Deferred: pydantic and the models load with the first manifest, not with the module (Lambda cold start).
    from pydantic import ValidationError

    from mlops_manifest.manifest import SCHEMA_VERSION, Manifest

    if len(raw) > MAX_MANIFEST_BYTES:
        return [
            Problem(
                "$", f"{len(raw)} bytes", f"a manifest of at most {MAX_MANIFEST_BYTES} bytes", "too_large"
            )
        ]
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return [Problem("$", f"not JSON ({type(error).__name__})", "a UTF-8 JSON object", "not_json")]
    if not isinstance(document, dict):
        return [Problem("$", f"a JSON {type(document).__name__}", "a JSON object", "not_object")]
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        found = "(missing)" if "schema_version" not in document else describe(version)
        return [
            Problem(
                "schema_version", found, f"'{SCHEMA_VERSION}' (the only schema version)", "schema_version"
            )
        ]
    try:
        return Manifest.model_validate_json(raw, strict=True)
    except ValidationError as error:
        return from_pydantic_errors(error.errors(include_url=False))
