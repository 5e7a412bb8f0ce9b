"""Start-deployment handler: one pipeline execution per model package, batch skipped, bad details reported."""

from __future__ import annotations

import json
import re

import pytest

from lambdas.start_deployment import handler
from lambdas.start_deployment.request import MODEL_REGISTERED_PATTERN
from lambdas.start_deployment.service import Clients
from lambdas.start_deployment.settings import load_settings
from tests.handlers.deployment_events.aws_world import PIPELINES, Capture
from tests.handlers.start_deployment.conftest import StartWorld
from tests.unit.pipeline.details import registered_detail

EXECUTION_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def expect_start(
    world: StartWorld, pipeline: str, execution_id: str = EXECUTION_ID
) -> tuple[Capture, Capture]:
    variables, token = Capture(), Capture()
    world.stub.add_response(
        "start_pipeline_execution",
        {"pipelineExecutionId": execution_id},
        {"name": pipeline, "variables": variables, "clientRequestToken": token},
    )
    return variables, token


@pytest.mark.parametrize("example", ["realtime", "serverless", "async"])
def test_each_inference_type_starts_its_own_pipeline(world, example):
    detail = registered_detail(example)
    variables, token = expect_start(world, PIPELINES[example])

    result = world.invoke(detail)

    assert result == {
        "status": "started",
        "pipeline": PIPELINES[example],
        "execution_id": EXECUTION_ID,
        "reason": None,
    }
    passed = {v["name"]: v["value"] for v in variables.value}
    assert passed["ModelName"] == detail["model_name"]
    assert passed["ModelPackageArn"] == detail["model_package_arn"]
    assert passed["InferenceType"] == example
    assert passed["ManifestKey"] == detail["manifest"]["key"]
    assert all(v["value"] for v in variables.value)
    assert re.fullmatch(r"[a-zA-Z0-9-]{1,128}", token.value)
    assert world.notifications() == [] and world.bus_events() == []


def test_the_realtime_event_passes_the_canary_settings(world):
    variables, _ = expect_start(world, PIPELINES["realtime"])

    world.invoke()

    passed = {v["name"]: v["value"] for v in variables.value}
    assert (passed["DeploymentStrategy"], passed["TrafficShiftPercent"], passed["BakeSeconds"]) == (
        "CANARY",
        "10",
        "900",
    )


def test_a_duplicate_event_reuses_the_token_so_one_execution_starts(world):
    # CodePipeline answers a repeated token with the execution it already started.
    _, first = expect_start(world, PIPELINES["realtime"])
    once = world.invoke()
    _, second = expect_start(world, PIPELINES["realtime"])
    twice = world.invoke()

    assert once["execution_id"] == twice["execution_id"]
    assert first.value == second.value


def test_another_package_gets_another_token(world):
    _, first = expect_start(world, PIPELINES["realtime"])
    world.invoke(registered_detail("realtime", package_version=1))
    _, second = expect_start(world, PIPELINES["realtime"])
    world.invoke(registered_detail("realtime", package_version=2))

    assert first.value != second.value


def test_batch_models_start_nothing_and_are_announced(world):
    result = world.invoke(registered_detail("batch"))

    assert result["status"] == "batch"
    (note,) = world.notifications()
    assert "fraud-scoring" in note["Subject"] and "batch transform workflow" in note["Message"]
    assert "start-execution" not in note["Message"]  # no workflow configured: nothing to point at
    assert world.bus_events() == []


def test_batch_notification_gives_the_command_that_runs_the_package(world, monkeypatch):
    workflow = "arn:aws:states:us-east-1:123456789012:stateMachine:batch"
    env = {**world.env(), "BATCH_WORKFLOW_ARN": workflow}
    clients = Clients(world.codepipeline, world.sns, world.events)
    monkeypatch.setattr(handler.runtime, "get", lambda: (load_settings(env), clients))
    detail = registered_detail("batch")

    world.invoke(detail)

    (note,) = world.notifications()
    command = note["Message"].splitlines()[-1]
    assert command.startswith(f"aws stepfunctions start-execution --state-machine-arn {workflow} --input '")
    run = json.loads(command.split("--input ", 1)[1].strip("'"))
    assert run["modelPackageArn"] == detail["model_package_arn"]
    assert run["transformJobName"] == "fraud-scoring-2025-11-26-1"
    assert (run["inputPrefix"], run["instanceType"], run["instanceCount"]) == ("daily/", "ml.m5.2xlarge", 2)
    assert "inputS3Uri" not in run  # a run names a prefix in its model's folder, never a bucket
    # And the note says where the input goes and the results appear, in production's data bucket
    assert "batch-input/fraud-scoring/<inputPrefix> in production's data-capture bucket" in note["Message"]
    assert "batch-output/fraud-scoring/<transformJobName>/" in note["Message"]


def test_a_batch_model_without_a_suggested_prefix_gets_a_placeholder_to_fill_in(world, monkeypatch):
    env = {**world.env(), "BATCH_WORKFLOW_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:batch"}
    clients = Clients(world.codepipeline, world.sns, world.events)
    monkeypatch.setattr(handler.runtime, "get", lambda: (load_settings(env), clients))
    detail = registered_detail("batch")
    del detail["inference"]["input_path"]

    world.invoke(detail)

    (note,) = world.notifications()
    run = json.loads(note["Message"].splitlines()[-1].split("--input ", 1)[1].strip("'"))
    assert run["inputPrefix"] == "<folder of this run>/"


def test_a_bad_detail_is_notified_and_emitted_as_failed(world):
    detail = registered_detail("realtime")
    detail["deployment"] = {"strategy": "blue-green"}
    del detail["manifest"]["key"]

    result = world.invoke(detail)

    assert result["status"] == "failed"
    (note,) = world.notifications()
    assert note["Subject"] == "Model deployment failed: churn-xgb 2025-11-26.1"
    assert "manifest.key: missing or empty" in note["Message"] and "deployment.strategy" in note["Message"]
    (event,) = world.bus_events()
    assert event["detail-type"] == "ModelDeploymentFailed"
    assert event["detail"]["model_package_arn"] == detail["model_package_arn"]
    assert event["detail"]["state"] == "NOT_STARTED"


def test_a_missing_pipeline_is_reported_as_a_failed_deployment(world):
    world.stub.add_client_error(
        "start_pipeline_execution",
        service_error_code="PipelineNotFoundException",
        service_message="no such pipeline",
    )

    result = world.invoke()

    assert result["status"] == "failed"
    (event,) = world.bus_events()
    assert event["detail"]["pipeline"] == PIPELINES["realtime"]
    assert "PipelineNotFoundException" in event["detail"]["reason"]


def test_a_token_conflict_is_notified_not_restarted(world):
    world.stub.add_client_error("start_pipeline_execution", service_error_code="ConflictException")

    result = world.invoke()

    assert result["status"] == "already_started"
    (note,) = world.notifications()
    assert "already started" in note["Message"]


def test_throttling_is_raised_so_the_invocation_is_retried(world):
    world.stub.add_client_error("start_pipeline_execution", service_error_code="ThrottlingException")

    with pytest.raises(Exception, match="ThrottlingException"):
        world.invoke()
    assert world.bus_events() == []


def test_an_event_that_is_not_model_registered_is_rejected(world):
    with pytest.raises(ValueError, match="not a ModelRegistered event"):
        handler.lambda_handler(
            {"source": "aws.s3", "detail-type": "Object Created", "detail": {}}, world.context
        )


def test_the_rule_pattern_selects_model_registered_on_the_orchestrator_source():
    assert MODEL_REGISTERED_PATTERN == {"source": ["mlops.orchestrator"], "detail-type": ["ModelRegistered"]}


def test_settings_require_every_pipeline_name():
    env = {
        "PIPELINE_NAMES": json.dumps({"realtime": "r"}),
        "NOTIFICATION_TOPIC_ARN": "t",
        "EVENT_BUS_NAME": "b",
    }

    with pytest.raises(ValueError, match="serverless, async"):
        load_settings(env)
