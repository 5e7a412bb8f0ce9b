"""Fixtures for the model-quality check: the drift check's moto world with the quality schedule input."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from lambdas.model_quality import handler
from lambdas.model_quality import settings as s
from tests.handlers.drift_check.capture_files import Rows, capture_body, ground_truth_body
from tests.handlers.drift_check.conftest import EVENTS_DIR, World, running
from tests.handlers.fakes import FakeContext, metric_statistics


class QualityWorld(World):
    """World plus helpers to write predictions and labels and to invoke the model-quality handler."""

    def __init__(self) -> None:
        super().__init__()
        self.event = json.loads((EVENTS_DIR / "drift_quality_schedule.json").read_text())

    def put_predictions(self, rows: Rows, scores: np.ndarray, start: int = 0, stop: int | None = None) -> str:
        return self.put_capture(capture_body(rows, datetime.now(UTC), start, stop, ids=True, scores=scores))

    def put_labels(self, labels: dict[str, object], encoding: str = "CSV") -> str:
        self.files += 1
        now = datetime.now(UTC)
        key = f"ground-truth/{self.event['endpoint_name']}/{now:%Y/%m/%d/%H}/labels-{self.files:03d}.jsonl"
        self.s3.put_object(
            Bucket=self.event["ground_truth"]["bucket"], Key=key, Body=ground_truth_body(labels, encoding)
        )
        return key

    def invoke(self, event: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = handler.lambda_handler(copy.deepcopy(event or self.event), FakeContext())
        return result

    def quality(self, name: str, attribute: str | None = None) -> tuple[float, float, float] | None:
        if attribute is None:
            return self.metric(name, namespace="MLOpsOrchestrator/ModelQuality")
        return self.metric_with(name, {"Attribute": attribute})

    def metric_with(self, name: str, extra: dict[str, str]) -> tuple[float, float, float] | None:
        dims = [{"Name": "EndpointName", "Value": self.event["endpoint_name"]}]
        dims += [{"Name": k, "Value": v} for k, v in extra.items()]
        namespace = "MLOpsOrchestrator/ModelQuality"
        points = metric_statistics(self.cloudwatch, namespace, name, {d["Name"]: d["Value"] for d in dims})
        if not points:
            return None
        return (points[0]["Minimum"], points[0]["Maximum"], points[0]["SampleCount"])


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[QualityWorld]:
    yield from running(monkeypatch, QualityWorld, handler.runtime, s.ENV_TOPIC_ARN)
