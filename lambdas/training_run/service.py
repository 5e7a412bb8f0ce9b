"""One training-run step per call: parse the state machine's request, run the step, return its result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from lambdas.training_run.automl_candidate import best_candidate
from lambdas.training_run.errors import TrainingRunError
from lambdas.training_run.evaluate import EvaluateRequest, evaluate
from lambdas.training_run.history import update_run
from lambdas.training_run.prepare import PrepareRequest, prepare
from lambdas.training_run.publish import PublishRequest, publish
from lambdas.training_run.runs import run_data
from lambdas.training_run.settings import Settings
from mlops_training.job import AutoMLJob
from mlops_training.run_inputs import RunOutcome, TriggerKind
from mlops_training.spec import TrainingSpec
from mlops_training.validate import validate_training_spec

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class Action(StrEnum):
    """The steps of a run the function performs."""

    PREPARE = "prepare"
    CANDIDATE = "candidate"
    EVALUATE = "evaluate"
    PUBLISH = "publish"
    FAIL = "fail"


@dataclass(frozen=True)
class Clients:
    """boto3 clients, one per field name."""

    s3: Any
    sagemaker: Any


def run_step(event: dict[str, Any], clients: Clients, settings: Settings, now: datetime) -> dict[str, Any]:
    """Dispatch on the request's action; every bad request is a TrainingRunError naming the field."""
    action = _choice(event.get("action"), Action, "action")
    spec = _spec(event.get("spec"))
    if action is Action.PREPARE:
        trigger = _choice(_field(event, "input", dict).get("trigger"), TriggerKind, "input.trigger")
        arn = _field(event, "executionArn", str)
        return prepare(
            clients.s3, settings, PrepareRequest(spec=spec, trigger=trigger, execution_arn=arn, now=now)
        )
    if action is Action.CANDIDATE:
        return best_candidate(_field(event, "job", dict))
    run = _field(event, "run", dict)
    if action is Action.EVALUATE:
        return evaluate(clients.s3, settings, _evaluate_request(spec, run))
    if action is Action.PUBLISH:
        return publish(clients.s3, clients.sagemaker, settings, _publish_request(spec, run, event))
    return _fail(clients.s3, settings, spec, _field(run, "runName", str), event.get("error"))


def _evaluate_request(spec: TrainingSpec, run: dict[str, Any]) -> EvaluateRequest:
    """What Evaluate reads from Prepare's output."""
    return EvaluateRequest(
        spec=spec,
        run_name=_field(run, "runName", str),
        held_out_sha256=_field(run, "heldOutSha256", str),
        predictions_uri=_field(run, "evaluationOutputUri", str),
    )


def _publish_request(spec: TrainingSpec, run: dict[str, Any], event: dict[str, Any]) -> PublishRequest:
    """What Publish reads from Prepare's and Evaluate's outputs and the trained job."""
    return PublishRequest(
        spec=spec,
        run=run,
        data=run_data(run),
        job_name=_field(event, "trainedJobName", str),
        artifact_uri=_field(event, "artifactUri", str),
        evaluation=_field(event, "evaluation", dict),
        execution_arn=_field(event, "executionArn", str),
        candidate=_field(event, "candidate", dict) if isinstance(spec.job, AutoMLJob) else None,
    )


def _fail(s3: Any, settings: Settings, spec: TrainingSpec, run_name: str, error: Any) -> dict[str, Any]:
    """Record a failed run (its cause in words) so that status shows it and it counts for the brakes."""
    cause = str(error.get("Cause") or error.get("Error")) if isinstance(error, dict) else "unknown error"
    update = {"outcome": RunOutcome.FAILED, "reason": cause[:2000]}
    update_run(
        s3, settings.reports_bucket, spec.model_name, lambda h: h.find(run_name).model_copy(update=update)
    )
    return {"recorded": str(RunOutcome.FAILED), "runName": run_name}


def _spec(text: Any) -> TrainingSpec:
    """The spec the state machine carries (validated at synthesis; validated again, it is cheap)."""
    if not isinstance(text, str):
        raise TrainingRunError("spec: expected the training spec as JSON text")
    result = validate_training_spec(text.encode())
    if isinstance(result, list):
        listed = "; ".join(f"{p.path}: {p.allowed}" for p in result)
        raise TrainingRunError(f"spec: the training spec is not valid ({listed})")
    return result


def _choice(value: Any, kind: type[E], field: str) -> E:
    """A value of a closed set, or an error listing the allowed values."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(kind)
        raise TrainingRunError(f"{field}: found {value!r}; allowed: one of {allowed}") from None


def _field(source: dict[str, Any], name: str, kind: type[T]) -> T:
    """A required field of the expected JSON type."""
    value = source.get(name)
    if not isinstance(value, kind):
        raise TrainingRunError(f"{name}: expected a JSON {kind.__name__}, found {type(value).__name__}")
    return value
