"""Fixtures for the start-deployment handler: moto SNS/EventBridge and a stubbed CodePipeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lambdas.start_deployment import handler
from lambdas.start_deployment.service import Clients
from lambdas.start_deployment.settings import load_settings
from tests.handlers.deployment_events.aws_world import PipelineWorld, load_event
from tests.handlers.fakes import serve_world

EVENT = load_event("pipeline_model_registered.json")


class StartWorld(PipelineWorld):
    """The handler's world: moto SNS and bus, a Stubber for CodePipeline."""

    def __init__(self) -> None:
        super().__init__("start-deployment")

    def invoke(self, detail: dict[str, Any] | None = None) -> dict[str, Any]:
        event = EVENT if detail is None else {**EVENT, "detail": detail}
        return self.call(handler.lambda_handler, event)


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartWorld]:
    yield from serve_world(monkeypatch, handler.runtime, StartWorld, load_settings, Clients)
