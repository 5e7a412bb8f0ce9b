"""Drift reports in the reports bucket: timestamped JSON + HTML, latest.json and the score history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lambdas.drift_check.request import DriftCheckRequest
from mlops_drift import DatasetProfile, DriftReport
from mlops_drift.jsonsafe import finite
from mlops_drift.partial import PartialProfile
from mlops_drift.report_html import ReportContext, render_html

HISTORY_LENGTH = 30


@dataclass(frozen=True)
class Run:
    """One completed analysis: what was read, how, and the verdict."""

    request: DriftCheckRequest
    baseline: DatasetProfile
    partial: PartialProfile
    report: DriftReport
    mode: str  # "lambda" | "processing_job"
    window: dict[str, Any]  # files, bytes, from/through positions, job name
    now: datetime


@dataclass(frozen=True)
class Locations:
    """Where a run's reports were written."""

    bucket: str
    json_key: str
    html_key: str

    def uris(self) -> dict[str, str]:
        """s3:// URIs of both reports."""
        return {"json": f"s3://{self.bucket}/{self.json_key}", "html": f"s3://{self.bucket}/{self.html_key}"}


def report_document(run: Run) -> dict[str, Any]:
    """The JSON report."""
    return {
        **run.request.identity(),
        "generated_at": run.now.isoformat(),
        "status": run.report.status.value,
        "mode": run.mode,
        "window": run.window,
        "lines_read": run.partial.lines_read,
        "malformed_lines": run.partial.malformed_lines,
        "unreadable_files": run.partial.unreadable_files,
        "issues": [vars(issue) for issue in run.partial.issues],
        "drift": run.report.to_dict(),
        "current_profile": run.partial.profile.to_dict(),
    }


def _history(s3: Any, bucket: str, key: str) -> list[dict[str, Any]]:
    """Previous runs' PSI per feature (oldest first); empty when there is no history yet."""
    try:
        return list(json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))
    except s3.exceptions.NoSuchKey:
        return []


def _scores(report: DriftReport) -> dict[str, float]:
    """PSI per feature that has one."""
    return {f.name: v for f in report.features if (v := f.metrics.get("psi")) is not None}


def _put(s3: Any, bucket: str, key: str, body: str, content_type: str) -> None:
    """Write one text object."""
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode(), ContentType=content_type)


def write_reports(s3: Any, bucket: str, run: Run) -> Locations:
    """Write the JSON and HTML reports, latest.json and the history (a crash re-run replaces its entry)."""
    root = f"drift/{run.request.endpoint_name}/"
    stamp = run.now.strftime("%Y-%m-%dT%H-%M-%SZ")
    where = Locations(bucket, f"{root}{stamp}.json", f"{root}{stamp}.html")
    through = run.window.get("through")
    history = _history(s3, bucket, root + "history.json")
    context = ReportContext(
        title=f"Drift report: {run.request.endpoint_name}",
        details=_details(run),
        history=[(str(h["generated_at"])[:16], h["scores"]) for h in history],
        malformed_lines=run.partial.malformed_lines,
        lines_read=run.partial.lines_read,
    )
    document = json.dumps(finite(report_document(run) | {"reports": where.uris()}), allow_nan=False)
    _put(s3, bucket, where.json_key, document, "application/json")
    _put(
        s3,
        bucket,
        where.html_key,
        render_html(run.baseline, run.partial.profile, run.report, context),
        "text/html",
    )
    _put(s3, bucket, root + "latest.json", document, "application/json")
    if run.window.get("files"):  # runs without new capture add nothing to the trend
        entry = {"generated_at": run.now.isoformat(), "through": through, "scores": _scores(run.report)}
        # A re-run after a crash replaces the entry of the same window instead of adding a second one.
        history = [*(h for h in history if h.get("through") != through), entry][-HISTORY_LENGTH:]
    _put(s3, bucket, root + "history.json", json.dumps(finite(history), allow_nan=False), "application/json")
    return where


def _details(run: Run) -> dict[str, str]:
    """Run details shown in the HTML header."""
    r = run.request
    return {
        "endpoint / variant": f"{r.endpoint_name} / {r.variant_name}",
        "model": f"{r.model_name} {r.model_version}",
        "generated at": run.now.isoformat(),
        "capture files": f"{run.window.get('files', 0)} ({run.mode})",
        "baseline": f"s3://{r.baseline.bucket}/{r.baseline.key}",
    }
