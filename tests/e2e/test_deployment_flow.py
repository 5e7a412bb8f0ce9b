"""End to end, locally: upload → register → pipeline (staging, smoke test, approval, production)."""

from typing import Any

import pytest

from mlops_local.pipeline_reads import LOCAL_APPROVER
from tests.e2e.conftest import executions_of, stack_exists, upload_deliveries

# moto's CloudFormation warns for each resource type it skips (alarms, schedules): expected here.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]


def _actions(execution) -> list[str]:
    return [f"{a.stage}/{a.action}" for a in execution.actions if a.succeeded]


def test_happy_path_reaches_production_and_approves_the_package(local, push):
    # Given a valid model, When it is pushed
    pushed = push("e2e-happy")
    # Then one execution ran every action through Finalize
    (execution,) = pushed.executions
    assert execution.status == "Succeeded", execution.actions[-1].message
    assert _actions(execution)[-3:] == ["Production/Deploy", "Production/SmokeTest", "Production/Finalize"]
    package = local.aws.client("sagemaker").describe_model_package(
        ModelPackageName=execution.variables["ModelPackageArn"]
    )
    assert package["ModelApprovalStatus"] == "Approved"
    (deployed,) = [
        e["detail"]
        for e in local.router.bus_events
        if e["detail-type"] == "ModelDeployed" and e["detail"]["model_name"] == "e2e-happy"
    ]
    assert deployed["endpoint_name"] == "e2e-happy-production"
    # And the record says who approved production (the auditor's question), on the event and the package
    assert deployed["approved_by"] == LOCAL_APPROVER
    assert f"approved by {LOCAL_APPROVER}" in package["ApprovalDescription"]
    assert {"e2e-happy-staging", "e2e-happy-production"} <= set(local.aws.emulator.endpoint_names)
    # And the registry and SageMaker answer as on AWS: the package keeps its provenance once approved,
    # and each stage's endpoint is known by its own name (what `mlops status` reads)
    assert package["CustomerMetadataProperties"]["mlops:model-version"] == "1"
    sagemaker = local.aws.client("sagemaker")
    for stage in ("staging", "production"):
        assert sagemaker.describe_endpoint(EndpointName=f"e2e-happy-{stage}")["EndpointStatus"] == "InService"


def _break_manifest(manifest: dict[str, Any]) -> None:
    manifest["inference"]["instance_type"] = "m5.large"  # not an ml.* instance type


def test_rejected_upload_writes_a_report_and_deploys_nothing(local, push):
    # Given a manifest with an instance type that is not SageMaker's, When it is pushed
    pushed = push("e2e-rejected", _break_manifest)
    # Then the register function rejected it with a report under rejected/, and nothing ran
    (delivery,) = upload_deliveries(local, "e2e-rejected")
    assert delivery.result["status"] == "rejected"
    assert delivery.result["report_key"].startswith("rejected/")
    s3 = local.aws.client("s3")
    report = s3.get_object(Bucket=local.registry_bucket, Key=delivery.result["report_key"])["Body"].read()
    assert b"instance_type" in report
    assert pushed.executions == []
    assert not stack_exists(local, "mlops-e2e-rejected-staging")


def _expect_three_values(manifest: dict[str, Any]) -> None:
    manifest["smoke_test"]["expected_response"] = {"kind": "json_array", "length": 3}


def test_failed_smoke_test_stops_before_production(local, push):
    # Given a manifest whose smoke test expects three values from a one-value model, When it is pushed
    pushed = push("e2e-smoke", _expect_three_values)
    # Then staging was deployed, the smoke test failed, and production was never touched
    (execution,) = pushed.executions
    assert execution.status == "Failed"
    failed = execution.actions[-1]
    assert (failed.stage, failed.action, failed.succeeded) == ("Staging", "SmokeTest", False)
    assert failed.message
    assert stack_exists(local, "mlops-e2e-smoke-staging")
    assert not stack_exists(local, "mlops-e2e-smoke-production")
    # And the failure was announced: ModelDeploymentFailed on the bus and a notification naming the step
    (announced,) = [
        e["detail"]
        for e in local.router.bus_events
        if e["detail-type"] == "ModelDeploymentFailed" and e["detail"]["model_name"] == "e2e-smoke"
    ]
    assert (announced["stage"], announced["action"], announced["state"]) == ("Staging", "SmokeTest", "FAILED")
    assert announced["reason"] == failed.message
    notes = [
        message for subject, message in local.notifications() if subject.startswith("Model deployment failed")
    ]
    assert any("e2e-smoke" in note and "at Staging/SmokeTest" in note for note in notes)


def test_duplicate_upload_events_register_and_deploy_once(local, push):
    # Given a pushed model, When the same S3 event is delivered again
    push("e2e-duplicate")
    route = local.router.route_named("ManifestUploaded")
    (first,) = upload_deliveries(local, "e2e-duplicate")
    local.router.deliver(route, first.event)
    local.settle()
    # Then there is still one package version and one pipeline execution
    packages = local.aws.client("sagemaker").list_model_packages(ModelPackageGroupName="e2e-duplicate")
    assert len(packages["ModelPackageSummaryList"]) == 1
    assert len(executions_of(local, "e2e-duplicate")) == 1


def test_a_refused_approval_keeps_the_model_out_of_production(local, push):
    questions: list[str] = []

    def refuse(question: str) -> bool:
        questions.append(question)
        return False

    pushed = push("refused-model", approve=refuse)

    (execution,) = pushed.executions
    assert execution.status == "Failed"
    assert questions and "refused-model" in questions[0] and "production" in questions[0]
    assert stack_exists(local, "mlops-refused-model-staging")
    assert not stack_exists(local, "mlops-refused-model-production")


def _asynchronous(manifest: dict[str, Any]) -> None:
    # No output_path: answers go to the stage's async-output prefix (a manifest may not name another).
    manifest["inference"] = {"type": "async", "instance_type": "ml.m5.large"}
    manifest["deployment"] = {"strategy": "all_at_once"}


def test_an_asynchronous_model_is_smoke_tested_through_s3_and_reaches_production(local, push):
    # Given an asynchronous model, When it is pushed
    pushed = push("e2e-async", _asynchronous)
    # Then its smoke tests submitted the payload through S3 and judged the answer written there
    (execution,) = pushed.executions
    assert execution.status == "Succeeded", execution.actions[-1].message
    assert "Async" in execution.pipeline
    smoke = [a for a in execution.actions if a.action == "SmokeTest"]
    assert [(a.stage, a.succeeded) for a in smoke] == [("Staging", True), ("Production", True)]
    s3 = local.aws.client("s3")
    capture = local.outputs["DataCaptureBucketName"]
    inputs = s3.list_objects_v2(Bucket=capture, Prefix="async-input/e2e-async-")["Contents"]
    assert {o["Key"].split("/")[1] for o in inputs} == {"e2e-async-staging", "e2e-async-production"}
    answers = s3.list_objects_v2(Bucket=capture, Prefix="async-output/")["Contents"]
    assert len([o for o in answers if "e2e-async" in o["Key"]]) == 2
