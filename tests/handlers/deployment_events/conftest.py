"""Fixtures for the deployment-events handler: moto SNS/EventBridge and a stubbed CodePipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from lambdas.deployment_events import handler
from lambdas.deployment_events.service import Clients
from lambdas.deployment_events.settings import load_settings
from tests.handlers.deployment_events.aws_world import PipelineWorld, load_event
from tests.handlers.fakes import serve_world

FAILED = load_event("pipeline_execution_failed.json")
PIPELINE = FAILED["detail"]["pipeline"]
EXECUTION_ID = FAILED["detail"]["execution-id"]


class EventsWorld(PipelineWorld):
    """moto SNS and bus, a Stubber for CodePipeline."""

    def __init__(self) -> None:
        super().__init__("deployment-events")

    def execution_has(self, variables: dict[str, str]) -> None:
        execution = {
            "pipelineName": PIPELINE,
            "pipelineExecutionId": EXECUTION_ID,
            "status": "Failed",
            "variables": [{"name": k, "resolvedValue": v} for k, v in variables.items()],
        }
        self.stub.add_response(
            "get_pipeline_execution",
            {"pipelineExecution": execution},
            {"pipelineName": PIPELINE, "pipelineExecutionId": EXECUTION_ID},
        )

    def actions_were(self, *pages: list[dict[str, Any]]) -> None:
        for number, page in enumerate(pages):
            response: dict[str, Any] = {"actionExecutionDetails": page}
            request: dict[str, Any] = {
                "pipelineName": PIPELINE,
                "filter": {"pipelineExecutionId": EXECUTION_ID},
            }
            if number + 1 < len(pages):
                response["nextToken"] = f"page-{number + 1}"
            if number:
                request["nextToken"] = f"page-{number}"
            self.stub.add_response("list_action_executions", response, request)

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        return self.call(handler.lambda_handler, event)


def action(stage: str, name: str, status: str, minute: int, message: str | None = None) -> dict[str, Any]:
    """One ActionExecutionDetail as ListActionExecutions returns it."""
    detail: dict[str, Any] = {
        "pipelineExecutionId": EXECUTION_ID,
        "actionExecutionId": f"{stage}-{name}",
        "stageName": stage,
        "actionName": name,
        "status": status,
        "startTime": datetime(2025, 11, 26, 10, minute, tzinfo=UTC),
    }
    if message:
        detail["output"] = {"executionResult": {"externalExecutionSummary": message}}
    return detail


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[EventsWorld]:
    yield from serve_world(monkeypatch, handler.runtime, EventsWorld, load_settings, Clients)
