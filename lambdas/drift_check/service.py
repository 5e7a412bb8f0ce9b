"""The drift check: capture since the checkpoint -> profile (here or in a Processing job) -> report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lambdas.common.checkpoint import (
    Checkpoint,
    PendingJob,
    Position,
    StoredObject,
    list_after,
    load_checkpoint,
    save_checkpoint,
)
from lambdas.drift_check.analysis import profile_objects
from lambdas.drift_check.publishing import announce, publish_metrics
from lambdas.drift_check.reporting import Run, write_reports
from lambdas.drift_check.request import DriftCheckRequest
from lambdas.drift_check.scale_out import collect_partials, job_status, start_job
from lambdas.drift_check.settings import Settings
from mlops_drift import DatasetProfile, Status, compare
from mlops_drift.file_read import Deadline
from mlops_drift.partial import PartialProfile

RUNNING = ("InProgress", "Stopping")


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the drift check uses."""

    s3: Any
    sagemaker: Any
    cloudwatch: Any
    sns: Any
    events: Any


@dataclass(frozen=True)
class Outcome:
    """What one invocation did."""

    status: str  # ok | drift | insufficient_data | job_started | job_running | job_failed
    records: int = 0
    files: int = 0
    report_key: str | None = None
    job_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return dict(vars(self))


def _checkpoint_key(request: DriftCheckRequest) -> str:
    """Where an endpoint's checkpoint lives in the reports bucket."""
    return f"drift/{request.endpoint_name}/checkpoint.json"


def _baseline(s3: Any, request: DriftCheckRequest) -> tuple[DatasetProfile, DriftCheckRequest]:
    """The baseline profile named in the request, and the request with the thresholds stored beside it."""
    body = s3.get_object(Bucket=request.baseline.bucket, Key=request.baseline.key)["Body"].read()
    document = json.loads(body)
    return DatasetProfile.from_dict(document), request.with_stored(document.get("drift_thresholds") or {})


def run_drift_check(
    request: DriftCheckRequest,
    clients: Clients,
    settings: Settings,
    now: datetime,
    deadline: Deadline | None = None,
) -> Outcome:
    """One scheduled check; the checkpoint advances only after the report is written, and only past the
    capture read before the deadline."""
    key = _checkpoint_key(request)
    checkpoint = load_checkpoint(clients.s3, settings.reports_bucket, key)
    baseline, request = _baseline(clients.s3, request)
    if checkpoint.pending is not None:
        return _resume(request, clients, settings, now, checkpoint, baseline)
    prefix = request.capture.under(request.endpoint_name, request.variant_name)
    until = now - timedelta(seconds=settings.settle_seconds)
    objects = list_after(clients.s3, request.capture.bucket, prefix, checkpoint.position, until)
    total = sum(obj.size for obj in objects)
    if settings.processing.image_uri and total > settings.scale_out_bytes:
        pending = start_job(
            clients, settings.reports_bucket, settings.processing, request, prefix, objects, now
        )
        save_checkpoint(clients.s3, settings.reports_bucket, key, Checkpoint(checkpoint.position, pending))
        return Outcome("job_started", files=len(objects), job_name=pending.job_name)
    analysis = profile_objects(clients.s3, request.capture.bucket, objects, baseline.spec, deadline)
    partial, window = analysis.partial, _read_window(checkpoint.position, objects, analysis.covered)
    return _complete(
        request,
        clients,
        settings,
        Run(request, baseline, partial, _compare(request, baseline, partial), "lambda", window, now),
        key,
    )


def _resume(
    request: DriftCheckRequest,
    clients: Clients,
    settings: Settings,
    now: datetime,
    checkpoint: Checkpoint,
    baseline: DatasetProfile,
) -> Outcome:
    """Finish the pending Processing job's run, or report that it is still running or failed."""
    pending: PendingJob = checkpoint.pending  # type: ignore[assignment]
    key = _checkpoint_key(request)
    status, reason = job_status(clients.sagemaker, pending.job_name)
    if status in RUNNING:
        return Outcome("job_running", files=pending.files, job_name=pending.job_name)
    if status != "Completed":
        # The position did not move: the next run lists the same files again and starts a new job.
        save_checkpoint(clients.s3, settings.reports_bucket, key, Checkpoint(checkpoint.position, None))
        return Outcome(
            "job_failed", files=pending.files, job_name=f"{pending.job_name}: {status} {reason}".strip()
        )
    partial = collect_partials(clients.s3, settings.reports_bucket, pending.output_prefix, baseline.spec)
    window = _window(checkpoint.position, pending.through, pending.files, pending.bytes) | {
        "job_name": pending.job_name
    }
    run = Run(request, baseline, partial, _compare(request, baseline, partial), "processing_job", window, now)
    return _complete(request, clients, settings, run, key)


def _compare(request: DriftCheckRequest, baseline: DatasetProfile, partial: PartialProfile) -> Any:
    """The engine's verdict with the request's thresholds."""
    return compare(baseline, partial.profile, request.drift_thresholds(), partial.schema)


def _window(after: Position | None, through: Position | None, files: int, size: int) -> dict[str, Any]:
    """The span of capture objects a run covers."""
    return {
        "after": after.to_dict() if after else None,
        "through": through.to_dict() if through else None,
        "files": files,
        "bytes": size,
    }


def _read_window(after: Position | None, objects: list[StoredObject], covered: int) -> dict[str, Any]:
    """The span of the first `covered` objects, read here; the rest are left for the next check."""
    read = objects[:covered]
    through = read[-1].position if read else after
    window = _window(after, through, len(read), sum(obj.size for obj in read))
    return window | {"files_left_for_next_check": len(objects) - covered}


def _complete(
    request: DriftCheckRequest, clients: Clients, settings: Settings, run: Run, key: str
) -> Outcome:
    """Write reports, publish metrics, announce drift, and only then advance the checkpoint."""
    where = write_reports(clients.s3, settings.reports_bucket, run)
    publish_metrics(clients.cloudwatch, run)
    if run.report.status is Status.DRIFT:
        announce(clients.sns, clients.events, settings.topic_arn, settings.event_bus_name, run, where)
    through = run.window["through"]
    position = Position.from_dict(through) if through else None
    save_checkpoint(clients.s3, settings.reports_bucket, key, Checkpoint(position, None))
    return Outcome(
        run.report.status.value, run.report.current_records, int(run.window["files"]), where.json_key
    )
