"""Turn raw manifest bytes into a Manifest or the complete list of its problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlops_manifest.json_reader import MAX_MANIFEST_BYTES, read_json
from mlops_manifest.problems import Problem, describe, from_pydantic_errors

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest

__all__ = ["MAX_MANIFEST_BYTES", "json_type", "validate_manifest"]


def json_type(value: Any) -> str:
    """Name a decoded JSON value's type as JSON does (null, object, array, ...), never as Python does."""
    if value is None or isinstance(value, bool):
        return describe(value)
    names = {dict: "object", list: "array", str: "string", int: "number", float: "number"}
    return next((name for kind, name in names.items() if isinstance(value, kind)), "value")


def validate_manifest(raw: bytes, *, size: int | None = None) -> Manifest | list[Problem]:
    """Validate a manifest document (`size`: its full size when only a prefix was read); the model or every
    problem found."""
    # Deferred: pydantic and the models load with the first manifest, not with the module (Lambda cold start).
    from pydantic import ValidationError

    from mlops_manifest.manifest import SCHEMA_VERSION, Manifest

    document, problems = read_json(raw, size)
    if problems:
        return problems
    if not isinstance(document, dict):
        kind = json_type(document)
        found = f"JSON {kind}" if document is None or isinstance(document, bool) else f"a JSON {kind}"
        return [Problem("$", found, "a JSON object ({...}) with the manifest's fields", "not_object")]
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
