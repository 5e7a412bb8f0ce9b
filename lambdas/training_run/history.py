"""A model's run history: training/<model>/runs.json in the reports bucket, validated on every read."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from botocore.exceptions import ClientError
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from lambdas.common.s3_objects import get_or_none
from lambdas.training_run.errors import TrainingRunError
from mlops_training.run_inputs import PastRun, RunOutcome, TriggerKind

# Old runs beyond this many are dropped: the brakes look back 30 days at most, the file stays small.
MAX_RUNS = 500
# Conditional writes that lose a race are recomputed this many times before the step fails (and is retried).
MAX_ATTEMPTS = 8
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict"}
_SHA256 = r"^[0-9a-f]{64}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class RunRecord(_Strict):
    """One run: what started it, when, how it ended, its identity and (once published) its score."""

    run_name: str = Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
    trigger: TriggerKind
    started_at: AwareDatetime
    outcome: RunOutcome
    reason: str = Field(default="", max_length=2000)
    identity: str | None = Field(default=None, pattern=_SHA256)
    execution_arn: str | None = Field(default=None, max_length=2048)
    held_out_sha256: str | None = Field(default=None, pattern=_SHA256)
    metric: str | None = Field(default=None, max_length=64)
    score: float | None = Field(default=None, allow_inf_nan=False)

    def past(self) -> PastRun:
        """The record as the brakes see it."""
        return PastRun(self.trigger, self.started_at, self.outcome, self.identity)


class RunHistory(_Strict):
    """Every recorded run of one model, oldest first."""

    schema_version: Literal["1"] = "1"
    model_name: str
    runs: tuple[RunRecord, ...] = ()

    def with_run(self, record: RunRecord) -> RunHistory:
        """The history with `record` added, or replacing the record of the same run name."""
        kept = tuple(run for run in self.runs if run.run_name != record.run_name)
        return RunHistory(model_name=self.model_name, runs=(*kept, record)[-MAX_RUNS:])

    def find(self, run_name: str) -> RunRecord:
        """The record of a run, or a clear error when the history has none."""
        for run in self.runs:
            if run.run_name == run_name:
                return run
        raise TrainingRunError(f"the run history of {self.model_name} has no run {run_name}")

    def champion(self) -> RunRecord | None:
        """The latest published run: the model now in (or on its way to) production."""
        published = [run for run in self.runs if run.outcome is RunOutcome.SUCCEEDED]
        return max(published, key=lambda run: run.started_at, default=None)


def history_key(model_name: str) -> str:
    """Where a model's history lives in the reports bucket."""
    return f"training/{model_name}/runs.json"


def read_history(s3: Any, bucket: str, model_name: str) -> RunHistory:
    """The model's history (empty when there is none yet); a file that does not validate stops the run."""
    return _read(s3, bucket, model_name)[0]


def _read(s3: Any, bucket: str, model_name: str) -> tuple[RunHistory, str | None]:
    """The history and the ETag of the object it came from (None: no history yet)."""
    key = history_key(model_name)
    response = get_or_none(s3, bucket, key)
    if response is None:
        return RunHistory(model_name=model_name), None
    try:
        document = json.loads(response["Body"].read())
    except json.JSONDecodeError as error:
        raise TrainingRunError(f"s3://{bucket}/{key} is not JSON ({error.msg}); fix or remove it") from None
    return _validated(document, bucket, key, model_name), str(response["ETag"])


def _validated(document: Any, bucket: str, key: str, model_name: str) -> RunHistory:
    """The document as a history of this model, or a clear error naming the file."""
    try:
        history = RunHistory.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise TrainingRunError(
            f"s3://{bucket}/{key} is not a valid run history ({error.error_count()} problem(s), first: "
            f"{where}: {first['msg']}); the brakes cannot be applied, so no run starts"
        ) from None
    if history.model_name != model_name:
        found = history.model_name
        raise TrainingRunError(f"s3://{bucket}/{key} names model {found!r}, not {model_name!r}")
    return history


def update_run(
    s3: Any, bucket: str, model_name: str, record_for: Callable[[RunHistory], RunRecord]
) -> tuple[RunHistory, RunRecord]:
    """Add or replace one run's record, computed from the history as it is when the write succeeds.

    Runs of one model may start or end at the same moment: the write holds only if the history is still
    the one the record was computed from (S3 If-Match, or If-None-Match for the first run); a lost race
    computes the record again from the newer history, so no run's update is lost and no brake is skipped.
    """
    key = history_key(model_name)
    for _ in range(MAX_ATTEMPTS):
        history, etag = _read(s3, bucket, model_name)
        record = record_for(history)
        condition = {"IfMatch": etag} if etag is not None else {"IfNoneMatch": "*"}
        body = history.with_run(record).model_dump_json(indent=1).encode()
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json", **condition)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _LOST_RACE:
                continue
            raise
        return history, record
    raise TrainingRunError(
        f"s3://{bucket}/{key} changed {MAX_ATTEMPTS} times while this step wrote it; the step is retried"
    )


def now_text(now: datetime) -> str:
    """A time as the history and the state machine spell it."""
    return now.isoformat()
