"""Fixtures for the drift check: a moto account with capture, registry and reports buckets."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambdas.drift_check import handler
from lambdas.drift_check import settings as s
from tests.handlers.drift_check.capture_files import Rows, baseline_profile, capture_body
from tests.handlers.fakes import FakeContext, SqsCapture, metric_statistics

REGION = "us-east-1"
EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"
REPORTS = "reports-bucket"


class World:
    """The moto account the drift check runs in, with helpers to write capture and read results."""

    def __init__(self) -> None:
        self.event = json.loads((EVENTS_DIR / "drift_check_schedule.json").read_text())
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.cloudwatch = boto3.client("cloudwatch", region_name=REGION)
        self.sm = boto3.client("sagemaker", region_name=REGION)
        for bucket in (REPORTS, self.event["baseline"]["bucket"], self.event["capture"]["bucket"]):
            self.s3.create_bucket(Bucket=bucket)
        self.capture = SqsCapture(REGION)
        self.topic_arn, self.notes_queue = self.capture.topic()
        self.events_queue = self.capture.bus()
        self.files = 0
        self.job_requests: list[dict[str, Any]] = []

    def put_baseline(self, rows: Rows) -> None:
        body = json.dumps(baseline_profile(rows).to_dict()).encode()
        self.s3.put_object(
            Bucket=self.event["baseline"]["bucket"], Key=self.event["baseline"]["key"], Body=body
        )

    def capture_key(self, when: datetime | None = None) -> str:
        """A capture key in SageMaker's layout: <prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl."""
        when = when or datetime.now(UTC)
        self.files += 1
        e = self.event
        return (
            f"{e['capture']['prefix']}/{e['endpoint_name']}/{e['variant_name']}/"
            f"{when:%Y/%m/%d/%H}/{when:%M-%S}-{self.files:03d}-capture.jsonl"
        )

    def put_capture(self, body: bytes) -> str:
        key = self.capture_key()
        self.s3.put_object(Bucket=self.event["capture"]["bucket"], Key=key, Body=body)
        return key

    def put_rows(self, rows: Rows, start: int = 0, stop: int | None = None, ids: bool = False) -> str:
        return self.put_capture(capture_body(rows, datetime.now(UTC), start, stop, ids))

    def invoke(self, event: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = handler.lambda_handler(
            copy.deepcopy(event or self.event),
            FakeContext(function_name="drift-check", memory_limit_in_mb=2048, remaining_ms=300_000),
        )
        return result

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(m["Body"]) for m in self.capture.drain(self.events_queue)]

    def notifications(self) -> list[str]:
        return [m["Body"] for m in self.capture.drain(self.notes_queue)]

    def read(self, key: str, bucket: str = REPORTS) -> bytes:
        body: bytes = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        return body

    def read_json(self, key: str, bucket: str = REPORTS) -> Any:
        return json.loads(self.read(key, bucket))

    def keys(self, prefix: str, bucket: str = REPORTS) -> list[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(o["Key"] for page in pages for o in page.get("Contents", []))

    def metric(
        self, name: str, feature: str | None = None, namespace: str = "MLOpsOrchestrator/Drift"
    ) -> tuple[float, float, float] | None:
        """(minimum, maximum, sample count) of a metric over the last hour; None when never put."""
        dims = [{"Name": "EndpointName", "Value": self.event["endpoint_name"]}]
        if feature is not None:
            dims.append({"Name": "Feature", "Value": feature})
        points = metric_statistics(self.cloudwatch, namespace, name, {d["Name"]: d["Value"] for d in dims})
        if not points:
            return None
        return (
            min(d["Minimum"] for d in points),
            max(d["Maximum"] for d in points),
            sum(d["SampleCount"] for d in points),
        )


def set_env(monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    values = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        s.ENV_REGION: REGION,
        "POWERTOOLS_METRICS_NAMESPACE": "MLOpsOrchestrator",
        s.ENV_REPORTS_BUCKET: REPORTS,
        s.ENV_EVENT_BUS_NAME: "mlops",
        s.ENV_SETTLE_SECONDS: "0",
    } | extra
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def running(monkeypatch: pytest.MonkeyPatch, make_world: Any, runtime: Any, topic_env: str) -> Iterator[Any]:
    """Inside moto: the check's environment, a world from `make_world`, and a runtime built afresh."""
    with mock_aws():
        set_env(monkeypatch)
        w = make_world()
        monkeypatch.setenv(topic_env, w.topic_arn)
        runtime.reset()
        yield w
        runtime.reset()


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    yield from running(monkeypatch, World, handler.runtime, s.ENV_TOPIC_ARN)
