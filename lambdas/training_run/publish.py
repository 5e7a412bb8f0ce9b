"""Publish: the artifact, the drift baseline and, last, the generated manifest, so the register function
registers the run exactly as it registers an upload."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lambdas.common.artifact_copy import ArtifactCopyError, copy_artifact, refuse_existing
from lambdas.common.s3_uri import split_s3_uri
from lambdas.training_run.data import first_object
from lambdas.training_run.errors import TrainingRunError
from lambdas.training_run.history import update_run
from lambdas.training_run.settings import Settings
from mlops_manifest.validate import validate_manifest
from mlops_training.manifest_from_run import ARTIFACT_FILE, DataInput, TrainingRun, manifest_document
from mlops_training.run_inputs import RunOutcome
from mlops_training.spec import TrainingSpec

MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True, kw_only=True)
class PublishRequest:
    """What the state machine knows at the end of a run that passed evaluation."""

    spec: TrainingSpec
    run: dict[str, Any]  # Prepare's output
    data: tuple[DataInput, ...]
    job_name: str  # the training job (the tuning job's best one)
    artifact_uri: str
    evaluation: dict[str, Any]  # Evaluate's output
    execution_arn: str
    candidate: dict[str, Any] | None = None  # an AutoML run's best candidate (the candidate step's output)


def publish(s3: Any, sagemaker: Any, settings: Settings, request: PublishRequest) -> dict[str, Any]:
    """Copy, write the manifest last, and record the published run as the model's new champion."""
    spec, version = request.spec, str(request.run["runName"])
    folder = f"models/{spec.model_name}/{version}/"
    bucket = settings.registry_bucket
    baseline = _needs_baseline(spec)
    try:
        refuse_existing(s3, bucket, [folder + ARTIFACT_FILE, folder + MANIFEST_FILE])
        what = "the training job's artifact"
        sha256, size = copy_artifact(s3, request.artifact_uri, bucket, folder + ARTIFACT_FILE, what=what)
    except ArtifactCopyError as error:
        raise TrainingRunError(str(error)) from None
    if baseline is not None:
        _copy_baseline(s3, spec, bucket, folder + baseline)
    document = manifest_document(spec, _training_run(sagemaker, request, sha256, size), version=version)
    body = json.dumps(document, indent=1).encode()
    problems = validate_manifest(body)
    if isinstance(problems, list):
        listed = "; ".join(f"{p.path}: {p.allowed}" for p in problems)
        raise TrainingRunError(f"the generated manifest would be rejected ({listed}); nothing was registered")
    s3.put_object(Bucket=bucket, Key=folder + MANIFEST_FILE, Body=body, ContentType="application/json")
    _record(s3, settings, spec, version)
    return {"version": version, "manifestUri": f"s3://{bucket}/{folder}{MANIFEST_FILE}", "sha256": sha256}


def _needs_baseline(spec: TrainingSpec) -> str | None:
    """The baseline file name when the manifest will name the training data as the drift baseline."""
    monitoring = spec.serving.monitoring
    if (
        monitoring.enabled
        and monitoring.baseline_statistics_key is None
        and monitoring.baseline_dataset_key is None
    ):
        return "baseline.csv"
    return None


def _copy_baseline(s3: Any, spec: TrainingSpec, bucket: str, key: str) -> None:
    """The first file of the train channel (the first channel without one) becomes the drift baseline."""
    channel = next((c for c in spec.channels if c.name == "train"), spec.channels[0])
    source_bucket, _ = split_s3_uri(channel.uri)
    source_key = first_object(s3, channel.uri)
    s3.copy({"Bucket": source_bucket, "Key": source_key}, bucket, key, ExtraArgs={"ContentType": "text/csv"})


def _training_run(sagemaker: Any, request: PublishRequest, sha256: str, size: int) -> TrainingRun:
    """The run's lineage: job, image, code, data digests, hyperparameters, metrics and the comparison."""
    metrics, hyperparameters, image = _job_facts(sagemaker, request)
    evaluation = request.evaluation
    metrics[f"held_out_{evaluation['metric']}"] = float(evaluation["score"])
    job = request.spec.job
    return TrainingRun(
        job_name=request.job_name,
        artifact_uri=request.artifact_uri,
        artifact_sha256=sha256,
        artifact_size=size,
        image_uri=image,
        hyperparameters=hyperparameters,
        data=request.data,
        metrics=metrics,
        execution_arn=request.execution_arn,
        source_uri=getattr(job, "source_uri", None),
        source_sha256=request.run.get("sourceSha256"),
        run_identity=str(request.run["identity"]),
        comparison=evaluation.get("comparison"),
        **_automl(request.candidate),
    )


def _job_facts(sagemaker: Any, request: PublishRequest) -> tuple[dict[str, float], dict[str, str], str]:
    """Metrics, hyperparameters and serving image: the training job's, or the AutoML candidate's."""
    candidate = request.candidate
    if candidate is not None:  # Autopilot chose image and hyperparameters; the candidate's container serves
        return dict(candidate.get("metrics") or {}), {}, str(candidate["imageUri"])
    described = sagemaker.describe_training_job(TrainingJobName=request.job_name)
    metrics = {m["MetricName"]: float(m["Value"]) for m in described.get("FinalMetricDataList", [])}
    return metrics, dict(described.get("HyperParameters", {})), str(request.run["imageUri"])


def _automl(candidate: dict[str, Any] | None) -> dict[str, Any]:
    """The candidate's serving environment and its lineage.automl section (nothing for training jobs)."""
    if candidate is None:
        return {}
    lineage = {
        "job_arn": candidate["jobArn"],
        "candidate_name": candidate["candidateName"],
        "objective_metric": candidate.get("objectiveMetric"),
        "objective_value": candidate.get("objectiveValue"),
    }
    return {"environment": dict(candidate.get("environment") or {}), "automl": lineage}


def _record(s3: Any, settings: Settings, spec: TrainingSpec, version: str) -> None:
    """Mark the run succeeded: it is now the champion the next challenger is compared with."""
    update = {"outcome": RunOutcome.SUCCEEDED, "reason": f"published as version {version}"}
    update_run(
        s3, settings.reports_bucket, spec.model_name, lambda h: h.find(version).model_copy(update=update)
    )
