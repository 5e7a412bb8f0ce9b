"""Prepare: apply the trigger's brakes and the unchanged-input rule, then lay out the run (or skip it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lambdas.common.s3_uri import split_s3_uri
from lambdas.training_run.data import channel_digest, object_sha256, read_bounded
from lambdas.training_run.errors import TrainingRunError
from lambdas.training_run.held_out import split_held_out
from lambdas.training_run.history import RunRecord, read_history, write_history
from lambdas.training_run.runs import RunLayout, evaluation_target
from lambdas.training_run.settings import Settings
from mlops_manifest.problems import Problem
from mlops_training.job import FrameworkScriptJob
from mlops_training.manifest_from_run import DataInput
from mlops_training.run_inputs import (
    Decision,
    RunOutcome,
    TriggerKind,
    Verdict,
    run_identity,
    trigger_decision,
    trigger_limits,
    unchanged_decision,
)
from mlops_training.sagemaker_inputs import run_name, sagemaker_hyperparameters, training_image
from mlops_training.spec import TrainingSpec


@dataclass(frozen=True, kw_only=True)
class PrepareRequest:
    """A run request: the spec, what triggered it, the execution and the time."""

    spec: TrainingSpec
    trigger: TriggerKind
    execution_arn: str
    now: datetime


def prepare(s3: Any, settings: Settings, request: PrepareRequest) -> dict[str, Any]:
    """RUN with the run's layout, or SKIP with the reason; both are recorded in the model's history."""
    spec, now = request.spec, request.now
    history = read_history(s3, settings.reports_bucket, spec.model_name)
    past = [run.past() for run in history.runs]
    layout = RunLayout(settings.reports_bucket, spec.model_name, run_name(spec.model_name, now))
    decision = trigger_decision(trigger_limits(spec, request.trigger), request.trigger, now, past)
    inputs: _Inputs | None = None
    if decision.verdict is Verdict.RUN:
        inputs = _inputs(s3, settings, spec)
        decision = unchanged_decision(inputs.identity, past)
    record = RunRecord(
        run_name=layout.run_name,
        trigger=request.trigger,
        started_at=now,
        outcome=RunOutcome.RUNNING if decision.verdict is Verdict.RUN else RunOutcome.SKIPPED,
        reason=decision.reason,
        identity=inputs.identity if inputs else None,
        execution_arn=request.execution_arn,
    )
    if inputs is None or decision.verdict is not Verdict.RUN:
        write_history(s3, settings.reports_bucket, history.with_run(record))
        return _skipped(layout, decision)
    held_out_sha256 = _stage_held_out(s3, settings, spec, layout)
    record = record.model_copy(update={"held_out_sha256": held_out_sha256})
    write_history(s3, settings.reports_bucket, history.with_run(record))
    return _run(layout, inputs, held_out_sha256, request) | {
        "hyperparameters": sagemaker_hyperparameters(spec)
    }


@dataclass(frozen=True)
class _Inputs:
    """What decides the model: channel digests, image, code digest, identity."""

    data: tuple[DataInput, ...]
    image_uri: str
    source_sha256: str | None
    identity: str


def _inputs(s3: Any, settings: Settings, spec: TrainingSpec) -> _Inputs:
    """Digest every channel and the code archive; resolve the training image for the region."""
    data = tuple(DataInput(c.name, c.uri, channel_digest(s3, c.name, c.uri)) for c in spec.channels)
    image = training_image(spec, settings.region)
    if isinstance(image, Problem):
        raise TrainingRunError(f"no training image in {settings.region}: {image.path}: {image.allowed}")
    job = spec.job
    source = (
        object_sha256(s3, job.source_uri, "job.source_uri") if isinstance(job, FrameworkScriptJob) else None
    )
    return _Inputs(data, image, source, run_identity(spec, data, image_uri=image, source_sha256=source))


def _stage_held_out(s3: Any, settings: Settings, spec: TrainingSpec, layout: RunLayout) -> str:
    """Check the held-out data now (before any job starts) and write its features for the transform."""
    uri = spec.evaluation.held_out_uri
    raw = read_bounded(s3, uri, settings.max_held_out_bytes, "evaluation.held_out_uri")
    held_out = split_held_out(raw, spec.evaluation, evaluation_target(spec), uri)
    bucket, key = split_s3_uri(layout.features_uri)
    s3.put_object(Bucket=bucket, Key=key, Body=held_out.features_csv, ContentType="text/csv")
    return hashlib.sha256(raw).hexdigest()


def _skipped(layout: RunLayout, decision: Decision) -> dict[str, Any]:
    """The state machine's input for a skipped run."""
    retry = decision.retry_after.isoformat() if decision.retry_after else None
    return {"decision": "skip", "verdict": str(decision.verdict), "reason": decision.reason,
            "runName": layout.run_name, "retryAfter": retry}  # fmt: skip


def _run(layout: RunLayout, inputs: _Inputs, held_out_sha256: str, request: PrepareRequest) -> dict[str, Any]:
    """The state machine's input for a run: names, image, locations and lineage inputs."""
    return {
        "decision": "run",
        "runName": layout.run_name,
        "trigger": str(request.trigger),
        "startedAt": request.now.isoformat(),
        "imageUri": inputs.image_uri,
        "identity": inputs.identity,
        "sourceSha256": inputs.source_sha256,
        "data": [{"channel": d.channel, "uri": d.uri, "sha256": d.sha256} for d in inputs.data],
        "heldOutSha256": held_out_sha256,
        "evaluationModelName": layout.evaluation_model_name,
        "evaluationInputUri": layout.features_prefix_uri,
        "evaluationOutputUri": layout.predictions_prefix_uri,
    }
