"""Turn raw training-spec bytes into a TrainingSpec or the complete list of its problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlops_manifest.json_reader import read_json
from mlops_manifest.problems import Problem, describe
from mlops_manifest.validate import json_type

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec


def validate_training_spec(
    raw: bytes, *, allowed_prefixes: Sequence[str] = (), size: int | None = None
) -> TrainingSpec | list[Problem]:
    """Validate a training spec (allowed_prefixes: S3 prefixes it may use; empty: not checked); the spec or
    every problem found."""
    from pydantic import ValidationError

    from mlops_training.base import ALLOWED_PREFIXES
    from mlops_training.problems import spec_problems
    from mlops_training.spec import SCHEMA_VERSION, TrainingSpec

    document, problems = read_json(raw, size)
    if problems:
        return [_about_spec(problem) for problem in problems]
    if not isinstance(document, dict):
        kind = json_type(document)
        found = f"JSON {kind}" if document is None or isinstance(document, bool) else f"a JSON {kind}"
        return [Problem("$", found, "a JSON object ({...}) with the training spec's fields", "not_object")]
    if document.get("schema_version") != SCHEMA_VERSION:
        found = "(missing)" if "schema_version" not in document else describe(document["schema_version"])
        allowed = f"'{SCHEMA_VERSION}' (the only training spec schema version)"
        return [Problem("schema_version", found, allowed, "schema_version")]
    try:
        context = {ALLOWED_PREFIXES: tuple(allowed_prefixes)}
        return TrainingSpec.model_validate_json(raw, strict=True, context=context)
    except ValidationError as error:
        return spec_problems(error.errors(include_url=False))


def _about_spec(problem: Problem) -> Problem:
    """The shared JSON reader speaks of manifests; a spec's reader says spec."""
    found = problem.found.replace("a manifest of", "a training spec of")
    return Problem(problem.path, found, problem.allowed, problem.code)
