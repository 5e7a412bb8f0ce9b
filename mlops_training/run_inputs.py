"""Whether a run should start: its inputs' identity (to skip an unchanged run) and each trigger's brakes.

Pure functions of their arguments (no clock, no AWS): the pipeline passes `now` and the model's past runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mlops_training.job import CustomImageJob, FrameworkScriptJob
from mlops_training.manifest_from_run import DataInput
from mlops_training.policy import Period, TriggerLimits
from mlops_training.spec import hyperparameter_text

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec

PERIOD_LENGTH = {
    Period.DAY: timedelta(days=1),
    Period.WEEK: timedelta(days=7),
    Period.MONTH: timedelta(days=30),
}


class TriggerKind(StrEnum):
    """What started a run; manual runs have no brakes but count for the others' cool-down."""

    DRIFT = "drift"
    QUALITY = "quality"
    SCHEDULE = "schedule"
    NEW_DATA = "new_data"
    MANUAL = "manual"


class RunOutcome(StrEnum):
    """How a run ended; skipped runs started no job and count for no brake."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    BELOW_THRESHOLD = "below_threshold"
    SKIPPED = "skipped"


class Verdict(StrEnum):
    """The decision about a trigger."""

    RUN = "run"
    NOT_ENABLED = "not_enabled"
    COOL_DOWN = "cool_down"
    CAP_REACHED = "cap_reached"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PastRun:
    """One earlier run of the model."""

    trigger: TriggerKind
    started_at: datetime
    outcome: RunOutcome
    identity: str | None = None


@dataclass(frozen=True)
class Decision:
    """A verdict, the reason in words, and when the trigger may fire again (if it is held back)."""

    verdict: Verdict
    reason: str
    retry_after: datetime | None = None


def prefix_digest(objects: Iterable[tuple[str, int, str]]) -> str:
    """The digest of a data prefix from its listing: (key, size, ETag) of every object, in key order."""
    lines = sorted(f"{key}\t{size}\t{etag.strip(chr(34))}" for key, size, etag in objects)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def run_identity(
    spec: TrainingSpec, data: Sequence[DataInput], *, image_uri: str, source_sha256: str | None = None
) -> str:
    """sha256 of what decides the model: data digests, code or image, hyperparameters and tuning."""
    job = spec.job
    code: dict[str, Any] = {"job": job.model_dump(mode="json", exclude={"metric_definitions"})}
    if isinstance(job, FrameworkScriptJob):
        code["source_sha256"] = source_sha256
    elif not isinstance(job, CustomImageJob):
        code["image_uri"] = image_uri
    inputs = {
        "data": sorted((d.channel, d.uri, d.sha256) for d in data),
        "code": code,
        "hyperparameters": {k: hyperparameter_text(v) for k, v in spec.hyperparameters.items()},
        "tuning": spec.tuning.model_dump(mode="json") if spec.tuning else None,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def unchanged_decision(identity: str, past_runs: Sequence[PastRun]) -> Decision:
    """UNCHANGED when the inputs equal those of the last successful run, else RUN."""
    succeeded = [run for run in past_runs if run.outcome is RunOutcome.SUCCEEDED]
    last = max(succeeded, key=lambda run: run.started_at, default=None)
    if last is not None and last.identity == identity:
        when = last.started_at.isoformat()
        return Decision(Verdict.UNCHANGED, f"same data, code and hyperparameters as the run of {when}")
    return Decision(Verdict.RUN, "inputs differ from the last successful run")


def trigger_decision(
    limits: TriggerLimits | None, trigger: TriggerKind, now: datetime, past_runs: Sequence[PastRun]
) -> Decision:
    """RUN, or why not: the trigger is off, the model's last run is too recent, or the cap is reached."""
    _aware(now)
    if trigger is TriggerKind.MANUAL:
        return Decision(Verdict.RUN, "a manual run has no cool-down or cap")
    if limits is None:
        return Decision(Verdict.NOT_ENABLED, f"the {trigger} trigger is not enabled in the training spec")
    started = [run for run in past_runs if run.outcome is not RunOutcome.SKIPPED and _aware(run.started_at)]
    cool_down = timedelta(hours=limits.cool_down_hours)
    latest = max((run.started_at for run in started), default=None)
    if latest is not None and now < latest + cool_down:
        reason = f"cool-down: the last run started at {latest.isoformat()} ({limits.cool_down_hours} h)"
        return Decision(Verdict.COOL_DOWN, reason, latest + cool_down)
    window = PERIOD_LENGTH[limits.per]
    mine = sorted(t.started_at for t in started if t.trigger is trigger and now - t.started_at < window)
    if len(mine) >= limits.max_runs:
        reason = f"cap: {len(mine)} {trigger} run(s) in the last {limits.per} (at most {limits.max_runs})"
        return Decision(Verdict.CAP_REACHED, reason, mine[len(mine) - limits.max_runs] + window)
    return Decision(Verdict.RUN, f"{trigger} trigger within its cool-down and cap")


def trigger_limits(spec: TrainingSpec, trigger: TriggerKind) -> TriggerLimits | None:
    """The spec's limits for a trigger (None: not enabled; manual runs have none)."""
    if trigger is TriggerKind.MANUAL:
        return None
    limits: TriggerLimits | None = getattr(spec.retraining, trigger.value)
    return limits


def _aware(moment: datetime) -> bool:
    """Refuse naive times: comparing them with aware ones is wrong by the machine's offset."""
    if moment.tzinfo is None:
        raise ValueError(f"a time with a time zone is needed, got {moment.isoformat()}")
    return True
