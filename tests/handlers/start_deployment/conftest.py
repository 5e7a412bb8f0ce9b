"""Fixtures for the start-deployment handler: moto SNS/EventBridge and a stubbed CodePipeline."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from lambdas.start_deployment import handler
from lambdas.start_deployment.service import Clients
from lambdas.start_deployment.settings import load_settings
from tests.handlers.deployment_events.aws_world import REGION, AwsWorld, load_event
from tests.handlers.fakes import FakeContext, serve_world

EVENT = load_event("pipeline_model_registered.json")


class StartWorld(AwsWorld):
    """The handler's world: moto SNS and bus, a Stubber for CodePipeline."""

    def __init__(self) -> None:
        super().__init__()
        self.codepipeline = boto3.client("codepipeline", region_name=REGION)
        self.stub = Stubber(self.codepipeline)
        self.context = FakeContext(function_name="start-deployment")

    def invoke(self, detail: dict[str, Any] | None = None) -> dict[str, Any]:
        event = copy.deepcopy(EVENT)
        if detail is not None:
            event["detail"] = detail
        with self.stub:
            result: dict[str, Any] = handler.lambda_handler(event, self.context)
            self.stub.assert_no_pending_responses()
        return result


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartWorld]:
    yield from serve_world(monkeypatch, handler.runtime, StartWorld, load_settings, Clients)
