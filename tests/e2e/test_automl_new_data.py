"""AutoML in local mode, started by new training data: the synthesized new-data rule starts the pipeline,
the local Autopilot stand-in picks the best of a few scikit-learn models, and the candidate is registered
and deployed like any run; more data inside the cool-down is refused (config/local-training/bc-automl.json).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from lambdas.training_run.history import read_history
from mlops_local.session import LocalOrchestrator
from mlops_local.state_machine import MachineRun
from mlops_local.training_setup import DATA_BUCKET, stage_training_data
from tests.e2e.conftest import executions_of

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]

MODEL = "bc-automl"
SERVING = {"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}
# What the stand-in's classification candidate carries beyond its entry point, as an ensembling one does.
ANSWER = {
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
    "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label",
    "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,labels,probabilities",
}
STAGES = ("staging", "production")


@pytest.fixture(scope="module")
def first_run(local: LocalOrchestrator) -> MachineRun:
    """Training data lands under the spec's new-data prefix; nothing else starts the run."""
    started = len(local.training.runs)
    stage_training_data(local.aws.client("s3"), MODEL, rows=320)
    local.settle()
    (run,) = local.training.runs[started:]
    return run


def _manifest(local: LocalOrchestrator, version: str) -> dict[str, Any]:
    key = f"models/{MODEL}/{version}/manifest.json"
    body = local.aws.client("s3").get_object(Bucket=local.registry_bucket, Key=key)["Body"]
    document: dict[str, Any] = json.loads(body.read())
    return document


def test_new_data_starts_an_automl_run_whose_candidate_is_published(first_run: MachineRun) -> None:
    assert first_run.input == {"trigger": "new_data"}
    assert first_run.status == "SUCCEEDED", first_run.cause
    assert first_run.states[2:7] == [
        "StartAutoML",
        "WaitForAutoML",
        "DescribeAutoML",
        "AutoMLEnded",
        "BestCandidate",
    ]
    assert first_run.states[-2:] == ["NotifyPublished", "Published"]


def test_the_candidate_is_registered_with_its_environment_and_automl_lineage(local, first_run) -> None:
    version = first_run.output["run"]["runName"]
    manifest = _manifest(local, version)
    environment = manifest["environment"]
    assert environment == SERVING | ANSWER | {"MODEL_NAME": environment["MODEL_NAME"]}
    assert manifest["lineage"]["automl"]["candidate_name"] == f"{version}-{environment['MODEL_NAME']}"
    assert "sagemaker-scikit-learn" in manifest["image_uri"]
    automl = manifest["lineage"]["automl"]
    assert automl["job_arn"].endswith(f":automl-job/{version}") and automl["objective_metric"] == "F1"
    assert automl["candidate_name"].startswith(f"{version}-") and 0.8 < automl["objective_value"] <= 1
    assert manifest["lineage"]["comparison"]["verdict"] == "no_champion"


def test_the_candidate_is_deployed_through_the_same_pipeline(local, first_run) -> None:
    execution = executions_of(local, MODEL)[-1]
    assert execution.variables["ModelVersion"] == first_run.output["run"]["runName"]
    assert execution.status == "Succeeded", execution.actions[-1].message


def _model_environment(local: LocalOrchestrator, stage: str) -> dict[str, str]:
    """The container environment of the stage's SageMaker model, as its endpoint stack created it."""
    resources = local.aws.client("cloudformation").describe_stack_resources(
        StackName=f"mlops-{MODEL}-{stage}"
    )
    (model,) = [r for r in resources["StackResources"] if r.get("ResourceType") == "AWS::SageMaker::Model"]
    described = local.aws.client("sagemaker").describe_model(
        ModelName=model["PhysicalResourceId"].split("/")[-1]
    )
    environment: dict[str, str] = described["PrimaryContainer"]["Environment"]
    return environment


def test_the_candidates_variables_reach_the_model_and_endpoint_of_every_stage(local, first_run) -> None:
    registered = _manifest(local, first_run.output["run"]["runName"])["environment"]
    assert set(ANSWER) <= set(registered)
    for stage in STAGES:
        assert _model_environment(local, stage) == registered
        assert local.aws.emulator.container_environment(f"{MODEL}-{stage}") == registered


def test_a_crafted_execution_cannot_give_the_model_another_variable(local, first_run) -> None:
    # Given the candidate's execution, restarted by hand with a container variable of the caller's own
    registered = executions_of(local, MODEL)[-1]
    injected = {"ContainerInferenceOutput": "probabilities", "ContainerInferenceInput": "labels"}
    local.aws.client("codepipeline").start_pipeline_execution(
        name=local.outputs["RealtimePipelineName"],
        variables=[{"name": k, "value": v} for k, v in (registered.variables | injected).items()],
    )
    local.settle()
    # Then every stage deploys the package's variables and none of the caller's
    assert local.calls.executions[-1].status == "Succeeded", local.calls.executions[-1].actions[-1].message
    for stage in STAGES:
        environment = _model_environment(local, stage)
        assert environment["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label"
        assert "SAGEMAKER_INFERENCE_INPUT" not in environment


def test_more_new_data_inside_the_cool_down_starts_a_run_that_is_refused(local, first_run) -> None:
    s3 = local.aws.client("s3")
    rows = s3.get_object(Bucket=DATA_BUCKET, Key=f"{MODEL}/train/part-0.csv")["Body"].read()
    started = len(local.training.runs)
    s3.put_object(Bucket=DATA_BUCKET, Key=f"{MODEL}/train/part-1.csv", Body=rows)
    local.settle()
    (run,) = local.training.runs[started:]
    assert run.input == {"trigger": "new_data"} and run.states[-2:] == ["NotifySkipped", "Skipped"]
    history = read_history(s3, local.outputs["ReportsBucketName"], MODEL)
    record = history.find(run.output["run"]["runName"])
    assert record.outcome == "skipped" and record.reason.startswith("cool-down"), record.reason


def test_new_data_outside_the_prefix_starts_nothing(local, first_run) -> None:
    started = len(local.training.runs)
    local.aws.client("s3").put_object(Bucket=DATA_BUCKET, Key=f"{MODEL}/elsewhere/part-0.csv", Body=b"a\n")
    local.settle()
    assert local.training.runs[started:] == []
