"""The rule patterns the CDK code imports select exactly the sample events the handler acts on."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lambdas.deployment_events.patterns import (
    FAILED_EXECUTION_PATTERN,
    ROLLBACK_PATTERN,
    failed_execution_pattern,
)
from lambdas.start_deployment.request import MODEL_REGISTERED_PATTERN
from tests.handlers.deployment_events.aws_world import load_event
from tests.handlers.fakes import routes


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    return routes(pattern, event)


def changed(name: str, **detail: Any) -> dict[str, Any]:
    event = copy.deepcopy(load_event(name))
    event["detail"].update(detail)
    return event


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (load_event("pipeline_execution_failed.json"), True),
        (changed("pipeline_execution_failed.json", state="STOPPED"), True),
        (changed("pipeline_execution_failed.json", state="SUCCEEDED"), False),
        (changed("pipeline_execution_failed.json", state="STARTED"), False),
    ],
)
def test_failed_execution_pattern(event, expected):
    assert matches(FAILED_EXECUTION_PATTERN, event) is expected


def test_failed_execution_pattern_can_be_restricted_to_our_pipelines():
    event = load_event("pipeline_execution_failed.json")

    assert matches(failed_execution_pattern(["mlops-realtime", "mlops-async"]), event) is True
    assert matches(failed_execution_pattern(["another-pipeline"]), event) is False


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (load_event("pipeline_endpoint_rolled_back.json"), True),
        (load_event("pipeline_endpoint_rolling_back.json"), True),
        (changed("pipeline_endpoint_rolled_back.json", EndpointStatus="UPDATE_ROLLBACK_FAILED"), True),
        (changed("pipeline_endpoint_rolled_back.json", EndpointStatus="UPDATING"), False),
        (changed("pipeline_endpoint_rolled_back.json", Tags={"team": "growth"}), False),  # not our endpoint
    ],
)
def test_rollback_pattern(event, expected):
    assert matches(ROLLBACK_PATTERN, event) is expected


def test_model_registered_pattern():
    registered = load_event("pipeline_model_registered.json")

    assert matches(MODEL_REGISTERED_PATTERN, registered) is True
    assert matches(MODEL_REGISTERED_PATTERN, {**registered, "detail-type": "ModelRejected"}) is False
