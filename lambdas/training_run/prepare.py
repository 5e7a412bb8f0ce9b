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
from lambdas.training_run.history import RunHistory, RunRecord, update_run
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
    spec = request.spec
    layout = RunLayout(settings.reports_bucket, spec.model_name, run_name(spec.model_name, request.now))
    decider = _Decider(s3, settings, request, layout)
    update_run(s3, settings.reports_bucket, spec.model_name, decider.record)
    decision, inputs, held_out_sha256 = decider.decision, decider.inputs, decider.held_out_sha256
    if inputs is None or held_out_sha256 is None or decision.verdict is not Verdict.RUN:
        return _skipped(layout, decision)
    return _run(layout, inputs, held_out_sha256, request) | {
        "hyperparameters": sagemaker_hyperparameters(spec)
    }


def _refuse_same_second(history: RunHistory, name: str) -> None:
    """Runs are named by the second they start: a second one that second would replace the first's record."""
    if any(run.run_name == name for run in history.runs):
        raise TrainingRunError(
            f"another run of {history.model_name} started in the same second as {name}; "
            "this one is not started (trigger it again)"
        )


class _Decider:
    """Decides a run from the history it is recorded in (again, if a concurrent run changed it first)."""

    def __init__(self, s3: Any, settings: Settings, request: PrepareRequest, layout: RunLayout) -> None:
        self._s3, self._settings, self._request, self._layout = s3, settings, request, layout
        # Digested and staged once, on the first RUN verdict; a failure there records nothing.
        self.inputs: _Inputs | None = None
        self.held_out_sha256: str | None = None
        self.decision = Decision(Verdict.NOT_ENABLED, "not decided")

    def record(self, history: RunHistory) -> RunRecord:
        """The brakes over this history, then the unchanged-input rule; the run's record either way."""
        _refuse_same_second(history, self._layout.run_name)
        request, past = self._request, [run.past() for run in history.runs]
        limits = trigger_limits(request.spec, request.trigger)
        self.decision, identity = trigger_decision(limits, request.trigger, request.now, past), None
        if self.decision.verdict is Verdict.RUN:
            self.inputs = self.inputs or _inputs(self._s3, self._settings, request.spec)
            identity = self.inputs.identity
            self.decision = unchanged_decision(identity, past)
        running = self.decision.verdict is Verdict.RUN
        if running:
            spec, layout = request.spec, self._layout
            self.held_out_sha256 = self.held_out_sha256 or _stage_held_out(
                self._s3, self._settings, spec, layout
            )
        return RunRecord(
            run_name=self._layout.run_name,
            trigger=request.trigger,
            started_at=request.now,
            outcome=RunOutcome.RUNNING if running else RunOutcome.SKIPPED,
            reason=self.decision.reason,
            identity=identity,
            execution_arn=request.execution_arn,
            held_out_sha256=self.held_out_sha256 if running else None,
        )


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
