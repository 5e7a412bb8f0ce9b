"""An MWO `/provisionpipeline` body turned into a manifest or a monitoring section, or every reason it cannot.

Nothing is registered: the answer is checked with the register function's own rules and says how to upload.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from mlops_api.mwo import BODY_MODELS, DataQualityMonitor, ModelQualityMonitor, MwoBody, MwoPipelineType
from mlops_api.mwo_byom import byom_manifest
from mlops_api.mwo_draft import Destination, Draft
from mlops_api.mwo_monitors import MonitorBody, monitoring_section
from mlops_api.mwo_result import MwoConversion
from mlops_api.mwo_steps import byom_steps, monitor_steps
from mlops_api.mwo_types import MAPPED_WORDS, NOT_MAPPED
from mlops_manifest.json_reader import read_json
from mlops_manifest.problems import Problem, describe, from_pydantic_errors
from mlops_manifest.registrable import check_manifest
from mlops_manifest.validate import validate_manifest

# Where a manifest problem lies in the MWO body (the rest keep their manifest path, prefixed "manifest.").
MANIFEST_TO_MWO = {
    "model_name": "model_name",
    "version": "migration.version",
    "owner": "migration.owner",
    "artifact.sha256": "migration.artifact_sha256",
    "artifact.file_name": "model_artifact_location",
    "framework": "model_framework",
    "framework_version": "model_framework_version",
    "image_uri": "custom_image_uri",
    "inference.instance_type": "inference_instance",
    "inference.input_path": "batch_inference_data",
    "monitoring.schedule": "schedule_expression",
    "monitoring.baseline_dataset_key": "baseline_data",
    "monitoring.quality.schedule": "schedule_expression",
    "monitoring.quality.classes": "migration.classes",
    "monitoring.quality.probability_threshold": "probability_threshold_attribute",
}
# A stand-in version for checking a monitoring section with the manifest's rules (never shown).
_PROBE = {"version": "v1", "framework": "xgboost", "framework_version": "1.7-1", "owner": "mwo-migration"}


@dataclass(frozen=True)
class MwoRefusal:
    """A body that cannot be mapped: a code, a sentence naming the problem, and field problems."""

    code: str
    message: str
    problems: tuple[Problem, ...] = ()


def convert(raw: bytes, *, caller: str, where: Destination) -> MwoConversion | MwoRefusal:
    """The manifest or monitoring section an MWO body becomes, checked as registration checks it."""
    body = parse_body(raw)
    if isinstance(body, MwoRefusal):
        return body
    draft = Draft()
    if isinstance(body, DataQualityMonitor | ModelQualityMonitor):
        return _monitor(body, where, draft)
    return _byom(body, caller, where, draft)


def parse_body(raw: bytes) -> MwoBody | MwoRefusal:
    """The body as the model of its pipeline type, or a refusal naming the type or every field problem."""
    document, problems = read_json(raw)
    if problems:
        return MwoRefusal(
            "invalid_request", "the body is not a JSON document this API reads", tuple(problems)
        )
    if not isinstance(document, dict):
        found = describe(document) if not isinstance(document, list) else "a JSON array"
        problem = Problem("$", found, "a JSON object of MWO's /provisionpipeline fields", "not_object")
        return MwoRefusal("invalid_request", "the body must be a JSON object", (problem,))
    kind = document.get("pipeline_type")
    if not isinstance(kind, str) or kind not in set(MwoPipelineType):
        return _type_refusal(kind, "pipeline_type" in document)
    try:
        return BODY_MODELS[MwoPipelineType(kind)].model_validate_json(raw)
    except ValidationError as error:
        fields = [_field_words(p, kind) for p in from_pydantic_errors(error.errors(include_url=False))]
        return MwoRefusal("invalid_request", f"the {kind} body has {len(fields)} problem(s)", tuple(fields))


def _type_refusal(kind: Any, present: bool) -> MwoRefusal:
    """400 for a pipeline type that is missing, not MWO's, or MWO's but not mapped (saying what to use)."""
    found = describe(kind) if present else "(missing)"
    if isinstance(kind, str) and kind in NOT_MAPPED:
        instead = NOT_MAPPED[kind]
        message = f"MWO pipeline type {kind} is not mapped onto this product; instead use {instead}"
        problem = Problem(
            "pipeline_type", found, f"one of {MAPPED_WORDS}; for {kind}: {instead}", "not_mapped"
        )
        return MwoRefusal("mwo_type_not_mapped", message, (problem,))
    message = f"pipeline_type {found} is not an MWO pipeline type; the mapped ones are {MAPPED_WORDS}"
    problem = Problem("pipeline_type", found, f"one of {MAPPED_WORDS}", "unknown_pipeline_type")
    return MwoRefusal("unknown_pipeline_type", message, (problem,))


def _field_words(problem: Problem, kind: str) -> Problem:
    """An unknown field is named as one MWO's body for this type does not have."""
    if problem.code != "extra_forbidden":
        return problem
    allowed = f"no such field in MWO's {kind} body (docs/migrating-from-mwo.md lists every field)"
    return Problem(problem.path, problem.found, allowed, "unknown_field")


def _in_mwo_terms(problem: Problem) -> Problem:
    """A manifest problem moved to the MWO field it came from."""
    path = MANIFEST_TO_MWO.get(problem.path, f"manifest.{problem.path}")
    return Problem(path, problem.found, problem.allowed, problem.code)


def _refused(kind: str, problems: list[Problem]) -> MwoRefusal:
    message = f"the {kind} body cannot be mapped: {len(problems)} problem(s), each named by its field"
    return MwoRefusal("invalid_request", message, tuple(problems))


def _byom(body: Any, caller: str, where: Destination, draft: Draft) -> MwoConversion | MwoRefusal:
    """A BYOM body as a manifest, checked with the register function's schema and image rules."""
    manifest = byom_manifest(body, caller, where, draft)
    text = json.dumps(manifest, indent=2) + "\n"
    _, image, found = check_manifest(text.encode(), where.region, where.image_accounts)
    problems = draft.problems + [_in_mwo_terms(p) for p in found]
    if problems:
        return _refused(body.pipeline_type, problems)
    sha256 = str(manifest["artifact"]["sha256"])
    return MwoConversion(
        pipeline_type=str(body.pipeline_type),
        model_name=body.model_name,
        manifest=manifest,
        manifest_text=text,
        manifest_sha256=hashlib.sha256(text.encode()).hexdigest(),
        manifest_size_bytes=len(text.encode()),
        image_uri=image,
        copies=draft.copies,
        ignored=draft.ignored,
        next_steps=byom_steps(body.pipeline_type, body.model_name, sha256, draft.copies),
    )


def _monitor(body: MonitorBody, where: Destination, draft: Draft) -> MwoConversion | MwoRefusal:
    """A monitor body as a monitoring section, checked inside a stand-in manifest of the same model."""
    section = monitoring_section(body, where, draft)
    probe = {"schema_version": "1", "model_name": body.model_name, **_PROBE, "monitoring": section}
    probe["artifact"] = {"sha256": "0" * 64}
    verdict = validate_manifest(json.dumps(probe).encode())
    found = verdict if isinstance(verdict, list) else []
    problems = draft.problems + [_in_mwo_terms(p) for p in found]
    if problems:
        return _refused(body.pipeline_type, problems)
    return MwoConversion(
        pipeline_type=str(body.pipeline_type),
        model_name=body.model_name,
        monitoring=section,
        copies=draft.copies,
        ignored=draft.ignored,
        next_steps=monitor_steps(body.pipeline_type, body.model_name, draft.copies),
    )
