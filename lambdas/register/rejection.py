"""Rejection path: a JSON report under rejected/, an SNS notification and a ModelRejected event."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lambdas.common.events import DetailType
from lambdas.common.publishing import notify, put_event
from lambdas.register.upload import Upload
from mlops_manifest import Problem

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_EVENT_PROBLEMS = 50
MAX_MESSAGE_PROBLEMS = 100


@dataclass(frozen=True)
class Destinations:
    """Where rejections are reported."""

    bucket: str
    prefix: str
    topic_arn: str
    bus_name: str


def report_key(prefix: str, upload: Upload, now: datetime) -> str:
    """Return `rejected/<model>/<version>/<UTC time>.json`, with placeholders for unusable segments."""
    # Placeholders start with "_", which no valid model name or version can.
    if upload.segments is None:
        model = version = "_unknown"
    else:
        model, version = (s if _SAFE_SEGMENT.match(s) else "_invalid" for s in upload.segments)
    return f"{prefix}{model}/{version}/{now.strftime('%Y%m%dT%H%M%S%fZ')}.json"


def reject(clients: Any, where: Destinations, upload: Upload, problems: list[Problem], now: datetime) -> str:
    """Write the report, notify and emit ModelRejected; the uploaded objects are left as they are."""
    key = report_key(where.prefix, upload, now)
    model, version = upload.segments or (None, None)
    listed = [problem.to_dict() for problem in problems]
    report: dict[str, Any] = {
        "status": "rejected",
        "rejected_at": now.isoformat(),
        "source": _source(upload),
        "model_name": model,
        "version": version,
        "problem_count": len(problems),
        "problems": listed,
    }
    clients.s3.put_object(
        Bucket=where.bucket,
        Key=key,
        Body=json.dumps(report, indent=2).encode(),
        ContentType="application/json",
    )
    notify(clients.sns, where.topic_arn, _subject(model, version), _message(upload, problems, key))
    detail = {
        **report,
        "problems": listed[:MAX_EVENT_PROBLEMS],
        "report": {"bucket": where.bucket, "key": key},
    }
    put_event(clients.events, where.bus_name, DetailType.MODEL_REJECTED, detail)
    return key


def _source(upload: Upload) -> dict[str, Any]:
    """Identify the uploaded manifest object and its uploader."""
    return {
        "bucket": upload.bucket,
        "key": upload.key,
        "version_id": upload.version_id,
        "uploader": upload.uploader,
    }


def _subject(model: str | None, version: str | None) -> str:
    return f"Model upload rejected: {model or 'unknown'} {version or ''}".strip()


def _message(upload: Upload, problems: list[Problem], key: str) -> str:
    """Plain-text notification naming the upload and every problem."""
    lines = [
        f"The upload s3://{upload.bucket}/{upload.key} (version {upload.version_id or 'none'}) was rejected.",
        f"Nothing was registered or deployed; the uploaded files were left unchanged. Report: {key}",
        f"{len(problems)} problem(s):",
    ]
    lines += [f"- {p.path}: found {p.found}; allowed: {p.allowed}" for p in problems[:MAX_MESSAGE_PROBLEMS]]
    if len(problems) > MAX_MESSAGE_PROBLEMS:
        lines.append(f"... and {len(problems) - MAX_MESSAGE_PROBLEMS} more in the report.")
    return "\n".join(lines)
