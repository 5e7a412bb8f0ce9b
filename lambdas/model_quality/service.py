"""The model-quality check: new ground truth since the checkpoint, joined with capture, scored, alarmed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lambdas.common.checkpoint import Checkpoint, Position, list_after, load_checkpoint, save_checkpoint
from lambdas.model_quality.evaluation import Matched, breaches, evaluate, join_capture, read_labels
from lambdas.model_quality.publishing import announce, notify, publish_metrics, write_report
from lambdas.model_quality.request import QualityCheckRequest
from lambdas.model_quality.settings import Settings
from mlops_drift import DatasetProfile
from mlops_drift.file_read import Deadline


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the model-quality check uses."""

    s3: Any
    cloudwatch: Any
    sns: Any
    events: Any


def _feature_names(s3: Any, request: QualityCheckRequest) -> tuple[str, ...]:
    """Capture column names: given explicitly, or the baseline profile's feature order."""
    if request.feature_names or request.baseline is None:
        return request.feature_names
    body = s3.get_object(Bucket=request.baseline.bucket, Key=request.baseline.key)["Body"].read()
    return DatasetProfile.from_dict(json.loads(body)).spec.names


def _collect(
    request: QualityCheckRequest,
    clients: Clients,
    labels: list[Any],
    until: datetime,
    deadline: Deadline | None,
) -> Matched:
    """Labels of the new ground-truth files joined with the capture of the lookback window."""
    matched = Matched()
    read_labels(clients.s3, request.ground_truth.bucket, labels, matched)
    if not labels:
        return matched
    since = Position(labels[0].position.last_modified - timedelta(hours=request.lookback_hours), "")
    prefix = request.capture.under(request.endpoint_name, request.variant_name)
    captured = list_after(clients.s3, request.capture.bucket, prefix, since, until)
    names = _feature_names(clients.s3, request)
    attributes = request.bias.attributes
    join_capture(clients.s3, request.capture.bucket, captured, names, attributes, matched, deadline)
    return matched


def _report(request: QualityCheckRequest, matched: Matched, files: int, now: datetime) -> dict[str, Any]:
    """The JSON report, with metrics and breaches unless there are too few labelled records."""
    count = len(matched.y_true)
    metrics, bias = evaluate(request, matched) if count >= request.min_records else ({}, {})
    found = breaches(request, metrics, bias)
    status = "insufficient_data" if count < request.min_records else ("breached" if found else "ok")
    return {
        "endpoint_name": request.endpoint_name,
        "variant_name": request.variant_name,
        "model_name": request.model_name,
        "model_version": request.model_version,
        "problem_type": request.problem_type.value,
        "generated_at": now.isoformat(),
        "status": status,
        "ground_truth_files": files,
        "join": {
            "labels": len(matched.labels),
            "matched": count,
            "unmatched_labels": matched.unmatched_labels,
            "malformed_label_lines": matched.malformed_label_lines,
            "malformed_capture_lines": matched.malformed_capture_lines,
            "issues": matched.issues,
        },
        "metrics": metrics,
        "bias": bias,
        "breaches": found,
        "thresholds": {k: v.model_dump() for k, v in request.thresholds.items()},
    }


def run_quality_check(
    request: QualityCheckRequest,
    clients: Clients,
    settings: Settings,
    now: datetime,
    deadline: Deadline | None = None,
) -> dict[str, Any]:
    """One scheduled check; the checkpoint advances only after the report and metrics are out, and capture
    is read only until the deadline."""
    key = f"quality/{request.endpoint_name}/checkpoint.json"
    checkpoint = load_checkpoint(clients.s3, settings.reports_bucket, key)
    until = now - timedelta(seconds=settings.settle_seconds)
    prefix = request.ground_truth.under(request.endpoint_name)
    labels = list_after(clients.s3, request.ground_truth.bucket, prefix, checkpoint.position, until)
    report = _report(request, _collect(request, clients, labels, now, deadline), len(labels), now)
    report_key = write_report(clients.s3, settings.reports_bucket, report, now)
    publish_metrics(clients.cloudwatch, report, now)
    if report["status"] == "breached":
        notify(clients.sns, settings.topic_arn, report, settings.reports_bucket, report_key)
        announce(
            clients.events, settings.event_bus_name, report, f"s3://{settings.reports_bucket}/{report_key}"
        )
    position = labels[-1].position if labels else checkpoint.position
    save_checkpoint(clients.s3, settings.reports_bucket, key, Checkpoint(position, None))
    return {"status": report["status"], "matched": report["join"]["matched"], "report_key": report_key}
