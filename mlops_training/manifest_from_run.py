"""The manifest a finished training run registers with: the spec's serving settings plus the run's lineage.

The spec's own validation builds the same manifest from a placeholder run, so a valid spec cannot produce
a manifest the register function rejects for its serving settings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlops_manifest.problems import Problem
from mlops_training.job import BuiltinAlgorithm, BuiltinAlgorithmJob, CustomImageJob, FrameworkScriptJob

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec

# The register function finds the artifact next to the manifest, under models/<model>/<version>/.
ARTIFACT_FILE = "model.tar.gz"
# Where the pipeline copies the training channel for drift monitoring (an allowed baseline prefix).
BASELINE_FILE = "baseline.csv"
_PLACEHOLDER_IMAGE = "000000000000.dkr.ecr.us-east-1.amazonaws.com/trained-model:1"
_IMAGE_FIELDS = {"framework": "job.framework", "framework_version": "job.framework_version"}


@dataclass(frozen=True)
class DataInput:
    """One channel the run read: its name, S3 location and the digest of what was read."""

    channel: str
    uri: str
    sha256: str


@dataclass(frozen=True, kw_only=True)
class TrainingRun:
    """What a finished training run produced and what it was built from."""

    job_name: str
    artifact_uri: str
    artifact_sha256: str
    artifact_size: int
    image_uri: str  # the training image; it also serves the model unless the job names a framework
    hyperparameters: Mapping[str, str] = field(default_factory=dict)
    data: tuple[DataInput, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=dict)
    execution_arn: str | None = None
    source_uri: str | None = None
    source_sha256: str | None = None
    run_identity: str | None = None
    comparison: Mapping[str, Any] | None = None  # lineage.comparison: challenger against champion
    environment: Mapping[str, str] = field(default_factory=dict)  # the serving container's (AutoML)
    automl: Mapping[str, Any] | None = None  # lineage.automl: job ARN, best candidate, objective


def baseline_key(model_name: str, version: str) -> str:
    """The registry key the drift baseline (the training data) is copied to before registration."""
    return f"models/{model_name}/{version}/{BASELINE_FILE}"


def manifest_document(spec: TrainingSpec, run: TrainingRun, *, version: str | None = None) -> dict[str, Any]:
    """The schema-v1 manifest of a finished run (version: the job name unless given)."""
    if run.artifact_size <= 0:
        size = run.artifact_size
        raise ValueError(f"the training run {run.job_name} produced an empty artifact ({size} bytes)")
    document = _base_document(spec, run.image_uri, run.artifact_sha256, version or run.job_name)
    document["lineage"] = _lineage(run)
    if run.environment:
        document["environment"] = dict(run.environment)
    return document


def _base_document(spec: TrainingSpec, image_uri: str, sha256: str, version: str) -> dict[str, Any]:
    """Identity, image, artifact and serving settings (no lineage)."""
    # Only what the spec sets: the manifest's own defaults fill the rest, as for an uploaded manifest.
    serving = spec.serving.model_dump(mode="json", exclude_unset=True)
    document: dict[str, Any] = {
        "schema_version": "1",
        "model_name": spec.model_name,
        "version": version,
        "artifact": {"file_name": ARTIFACT_FILE, "sha256": sha256},
        "owner": spec.owner,
        "description": spec.description,
        **_image(spec, image_uri),
        **serving,
    }
    monitoring = document.setdefault("monitoring", {})
    if spec.serving.monitoring.enabled and "baseline_statistics_key" not in monitoring:
        monitoring.setdefault("baseline_dataset_key", baseline_key(spec.model_name, version))
        monitoring.setdefault("header_row", spec.evaluation.header_row)
        target = spec.evaluation.target_column or getattr(spec.job, "target_column", None)
        if target is not None:
            monitoring.setdefault("target_column", target)
    return document


def _image(spec: TrainingSpec, image_uri: str) -> dict[str, str]:
    """A framework the registry resolves per region, or the run's own image."""
    job = spec.job
    if isinstance(job, FrameworkScriptJob):
        return {"framework": str(job.framework), "framework_version": job.framework_version}
    if isinstance(job, BuiltinAlgorithmJob) and job.algorithm is BuiltinAlgorithm.XGBOOST and job.version:
        return {"framework": "xgboost", "framework_version": job.version}
    if isinstance(job, CustomImageJob):
        return {"image_uri": job.image_uri}
    return {"image_uri": image_uri}


def _lineage(run: TrainingRun) -> dict[str, Any]:
    """The manifest's lineage section, fields left out when the run has no value for them."""
    values: dict[str, Any] = {
        "training_job_name": run.job_name,
        "execution_arn": run.execution_arn,
        "training_image_uri": run.image_uri,
        "source_uri": run.source_uri,
        "source_sha256": run.source_sha256,
        "data": [{"channel": d.channel, "uri": d.uri, "sha256": d.sha256} for d in run.data],
        "hyperparameters": dict(run.hyperparameters),
        "metrics": dict(run.metrics),
        "run_identity": run.run_identity,
        "comparison": dict(run.comparison) if run.comparison is not None else None,
        "automl": dict(run.automl) if run.automl is not None else None,
    }
    return {key: value for key, value in values.items() if value is not None}


def serving_problems(spec: TrainingSpec) -> list[Problem]:
    """The manifest checks applied to the spec's serving settings, with paths into the spec."""
    from mlops_manifest.validate import validate_manifest

    document = _base_document(spec, _PLACEHOLDER_IMAGE, "0" * 64, "v1")
    result = validate_manifest(json.dumps(document).encode())
    if not isinstance(result, list):
        return []
    return [Problem(_spec_path(p.path), p.found, p.allowed, p.code) for p in result]


def _spec_path(path: str) -> str:
    """Where a manifest problem's field lives in the spec."""
    from mlops_training.serving import Serving

    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in Serving.model_fields:
        return f"serving.{path}"
    return _IMAGE_FIELDS.get(path, path)
