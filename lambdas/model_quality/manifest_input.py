"""The blueprint's schedule input: the model's manifest in the registry, read to build the check request."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from lambdas.common.schedule_input import EndpointCheckInput, S3Object, S3Prefix
from lambdas.model_quality.request import BadRequestError, QualityCheckRequest, parse_request, validated
from mlops_contract.pipeline import NONE
from mlops_manifest import Manifest, validate_manifest
from mlops_manifest.monitoring import Quality

# The blueprint cannot omit a key from its Fn::Sub JSON, so a model without a baseline sends "none".
NO_BASELINE_KEY = NONE


class ManifestScheduleInput(EndpointCheckInput):
    """The JSON input the endpoint blueprint's quality schedule sends: names and where things are."""

    manifest: S3Object
    ground_truth: S3Prefix
    baseline: S3Object | None = None

    @field_validator("baseline", mode="after")
    @classmethod
    def _none_key_is_absent(cls, value: S3Object | None) -> S3Object | None:
        """Key `none` stands for "this model has no baseline"."""
        return None if value is not None and value.key == NO_BASELINE_KEY else value


def is_manifest_input(event: Any) -> bool:
    """True for the blueprint's shape (it names a manifest); False for a full request."""
    return isinstance(event, dict) and "manifest" in event


def parse_schedule(event: Any) -> ManifestScheduleInput:
    """Validate the blueprint's schedule input, listing every problem at once."""
    return validated(ManifestScheduleInput, event)


def load_manifest(s3: Any, source: S3Object) -> Manifest:
    """The registered manifest; a missing or invalid one raises BadRequestError naming it."""
    where = f"s3://{source.bucket}/{source.key}"
    try:
        raw: bytes = s3.get_object(Bucket=source.bucket, Key=source.key)["Body"].read()
    except s3.exceptions.NoSuchKey as exc:
        raise BadRequestError(f"manifest {where} not found") from exc
    manifest = validate_manifest(raw)
    if isinstance(manifest, Manifest):
        return manifest
    problems = [f"{p.path}: found {p.found}, allowed {p.allowed}" for p in manifest]
    raise BadRequestError(f"manifest {where} is invalid: " + "; ".join(problems))


def build_request(
    schedule: ManifestScheduleInput, manifest: Manifest, quality: Quality
) -> QualityCheckRequest:
    """The check request: names from the schedule, settings from the manifest's quality section."""
    features = manifest.monitoring.features
    return parse_request(
        {
            **schedule.model_dump(exclude={"manifest"}),
            "problem_type": quality.problem_type.value,
            "feature_names": [f.name for f in features] if features else [],
            "classes": quality.classes,
            "probability_threshold": quality.probability_threshold,
            "lookback_hours": quality.lookback_hours,
            "min_records": quality.min_records,
            "thresholds": {str(k): v.model_dump() for k, v in quality.thresholds.items()},
            "bias": {
                "attributes": quality.bias_attributes,
                "thresholds": {str(k): v.model_dump() for k, v in quality.bias_thresholds.items()},
            },
        }
    )


def resolve_request(event: Any, s3: Any) -> QualityCheckRequest | None:
    """The check request, from the named manifest or given in full; None when quality is not configured."""
    if not is_manifest_input(event):
        return parse_request(event)
    schedule = parse_schedule(event)
    manifest = load_manifest(s3, schedule.manifest)
    quality = manifest.monitoring.quality
    return None if quality is None else build_request(schedule, manifest, quality)
