"""BatchTransformWorkflow in a bare stack: .sync transform, retries, timeout, notifications, compliance."""

from __future__ import annotations

import fnmatch
import json
import re

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template

from lambdas.start_deployment.batch_note import execution_input
from mlops_constructs.access_log_bucket import AccessLogBucket
from mlops_constructs.batch_transform_workflow import BatchTransformWorkflow
from mlops_constructs.encryption_key import EncryptionKey
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.notification_topic import NotificationTopic
from stacks.compliance import attach_compliance_packs
from stacks.orchestrator_app import feature_flags
from tests.infra.blueprint.conftest import MAIN_PACKS
from tests.infra.test_template_checks import run_checkov
from tests.unit.pipeline.details import registered_detail

SAGEMAKER_ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
PACKAGE_CHECK = "arn:aws:lambda:us-east-1:123456789012:function:resolve-package"


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("batch")
    app = App(outdir=str(outdir), context=feature_flags())
    stack = Stack(app, "BatchWorkflow")
    key = EncryptionKey(stack, "Key", description="test key").key
    logs = AccessLogBucket(stack, "AccessLogs", retention=Duration.days(30)).bucket
    data = HardenedBucket(
        stack, "Data", encryption_key=key, access_logs=logs, noncurrent_version_retention=Duration.days(30)
    ).bucket
    topic = NotificationTopic(stack, "Topic", encryption_key=key, emails=()).topic
    role = iam.Role.from_role_arn(stack, "SageMakerRole", SAGEMAKER_ROLE, mutable=False)
    BatchTransformWorkflow(
        stack,
        "Batch",
        notification_topic=topic,
        encryption_key=key,
        data_bucket=data,
        batch_role=role,
        package_check=lambda_.Function.from_function_arn(stack, "Check", PACKAGE_CHECK),
    )
    attach_compliance_packs(app, MAIN_PACKS)
    app.synth()  # raises on any unacknowledged finding
    document = json.loads((outdir / "BatchWorkflow.template.json").read_text())
    return outdir, document


@pytest.fixture(scope="module")
def definition(synthesized):
    _, document = synthesized
    (machine,) = [
        r for r in document["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    # Tokens (partition, ARNs) sit inside JSON strings of the definition: a plain word stands in for them.
    return json.loads("".join(part if isinstance(part, str) else "TOKEN" for part in parts))


def test_transform_runs_to_completion_with_sync(definition):
    assert definition["States"]["Transform"]["Resource"].endswith(
        ":states:::sagemaker:createTransformJob.sync"
    )


def test_transform_times_out_and_retries_only_service_errors(definition):
    transform = definition["States"]["Transform"]
    assert transform["TimeoutSeconds"] == 6 * 3600
    (retry,) = transform["Retry"]
    assert "States.ALL" not in retry["ErrorEquals"] and "States.TaskFailed" not in retry["ErrorEquals"]
    assert retry["MaxAttempts"] == 3


def test_success_and_failure_both_notify_after_cleaning_up(definition):
    states = definition["States"]
    assert states["Transform"]["Next"] == "CleanUp"
    (catch,) = states["Transform"]["Catch"]
    assert catch["ErrorEquals"] == ["States.ALL"] and catch["Next"] == "CleanUpAfterFailure"
    for cleanup, then in (("CleanUp", "NotifySuccess"), ("CleanUpAfterFailure", "NotifyFailure")):
        (when,) = states[cleanup]["Choices"]
        assert when == {"Variable": "$.createdModel", "IsPresent": True, "Next": f"{cleanup}Delete"}
        assert states[cleanup]["Default"] == then
        assert states[f"{cleanup}Delete"]["Next"] == then
    assert states["NotifyFailure"]["Next"] == "Failed" and states["Failed"]["Type"] == "Fail"
    for name in ("NotifySuccess", "NotifyFailure"):
        assert states[name]["Resource"].endswith(":states:::sns:publish")


def test_a_checked_package_becomes_an_isolated_model_for_the_job_and_is_deleted_after(definition):
    states = definition["States"]
    assert definition["StartAt"] == "ChooseModel"
    (from_package,) = states["ChooseModel"]["Choices"]  # a registered package, never a model by name
    assert (from_package["Variable"], from_package["Next"]) == ("$.modelPackageArn", "CheckInputPrefix")
    create = states["CreateModel"]
    assert create["Resource"].endswith(":states:::sagemaker:createModel")
    # Image, artifact and environment come from the package check's answer, never from the execution input
    assert create["Parameters"]["PrimaryContainer"] == {
        "Image.$": "$.package.imageUri",
        "ModelDataUrl.$": "$.package.modelDataUrl",
        "Environment.$": "$.package.environment",
    }
    assert states["CheckPackage"]["ResultSelector"] == {
        "imageUri.$": "$.Payload.ImageUri",
        "modelDataUrl.$": "$.Payload.ModelDataUrl",
        "environment.$": "$.Payload.Environment",
        "modelName.$": "$.Payload.ModelName",
    }
    assert states["CheckPackage"]["ResultPath"] == "$.package"
    assert create["Parameters"]["ModelName.$"] == "$.transformJobName"
    assert create["Parameters"]["EnableNetworkIsolation"] is True
    assert create["Catch"][0]["Next"] == "CleanUpAfterFailure"
    assert states["Transform"]["Parameters"]["ModelName.$"] == "$.model.modelName"
    delete = states["CleanUpDelete"]
    assert delete["Resource"].endswith(":states:::aws-sdk:sagemaker:deleteModel")
    assert delete["Parameters"] == {"ModelName.$": "$.transformJobName"}


def test_the_job_reads_the_models_batch_input_and_writes_under_its_batch_output(definition):
    parameters = definition["States"]["Transform"]["Parameters"]
    source = parameters["TransformInput"]["DataSource"]["S3DataSource"]
    # The model's folder is named by the checked package; the run names only a prefix inside it
    assert (
        source["S3Uri.$"]
        == "States.Format('s3://TOKEN/batch-input/{}/{}', $.package.modelName, $.inputPrefix)"
    )
    assert source["S3DataType"] == "S3Prefix"
    assert parameters["TransformOutput"]["S3OutputPath.$"] == (
        "States.Format('s3://TOKEN/batch-output/{}/{}/', $.package.modelName, $.transformJobName)"
    )


def test_the_data_bucket_is_the_one_the_job_reads_and_writes(synthesized):
    _, document = synthesized
    (machine,) = [
        r for r in document["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    buckets = [part for part in parts if isinstance(part, dict) and "Ref" in part and "Data" in part["Ref"]]
    assert len(buckets) == 2 and all(part["Ref"].startswith("DataBucket") for part in buckets)


def test_the_batch_role_is_never_widened_by_the_workflow(synthesized):
    # CDK grants a model role s3:GetObject and ECR pulls on "*" when image and artifact are run-time values
    _, document = synthesized
    policies = [r for r in document["Resources"].values() if r["Type"] == "AWS::IAM::Policy"]
    roles_with_policies = {json.dumps(role) for p in policies for role in p["Properties"]["Roles"]}
    assert all("StateMachine" in role for role in roles_with_policies)


def test_input_without_a_model_fails_naming_what_is_missing(definition):
    states = definition["States"]
    invalid = states[states["ChooseModel"]["Default"]]
    assert invalid["Type"] == "Fail" and invalid["Error"] == "InvalidInput"
    assert "modelPackageArn" in invalid["Cause"] and "registered models only" in invalid["Cause"]


def test_results_and_volumes_are_encrypted_with_the_key(definition):
    parameters = definition["States"]["Transform"]["Parameters"]
    assert "KmsKeyId" in parameters["TransformOutput"]
    assert "VolumeKmsKeyId" in parameters["TransformResources"]


def test_state_machine_is_traced_logged_and_encrypted(synthesized):
    _, document = synthesized
    Template.from_json(document).has_resource_properties(
        "AWS::StepFunctions::StateMachine",
        {
            "TracingConfiguration": {"Enabled": True},
            "LoggingConfiguration": Match.object_like({"Level": "ALL"}),
            "EncryptionConfiguration": Match.object_like({"Type": "CUSTOMER_MANAGED_KMS_KEY"}),
        },
    )


def test_no_role_with_a_managed_policy_is_created(synthesized):
    _, document = synthesized
    roles = [r for r in document["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert all("ManagedPolicyArns" not in role["Properties"] for role in roles)


def test_only_the_sagemaker_role_may_be_passed(synthesized):
    _, document = synthesized
    passes = [
        statement
        for r in document["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for statement in r["Properties"]["PolicyDocument"]["Statement"]
        if statement["Action"] == "iam:PassRole"
    ]
    assert [statement["Resource"] for statement in passes] == [SAGEMAKER_ROLE]


def test_template_passes_cfn_lint_and_checkov(synthesized):
    import subprocess
    import sys
    from pathlib import Path

    outdir, _ = synthesized
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    lint = subprocess.run(
        [str(cfn_lint), str(outdir / "BatchWorkflow.template.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (lint.returncode, lint.stdout) == (0, "")
    assert run_checkov(outdir)["results"]["failed_checks"] == []


def test_the_run_suggested_to_batch_model_owners_is_exactly_what_the_workflow_reads(definition):
    # Given: every top-level execution input field the definition reads (not the ones it writes itself)
    written = {"model", "createdModel", "error", "transform", "cleanupError", "package"}
    written |= {"Payload"}  # the package check's answer
    read = set(re.findall(r'"\$\.(\w+)', json.dumps(definition))) - written
    # Then: the suggested input names each of them and nothing else
    suggested = execution_input(registered_detail("batch"))
    assert read == set(suggested)


def test_a_package_is_checked_against_its_registration_before_a_model_is_made_from_it(definition):
    # Given: the state the execution's package goes to first
    states = definition["States"]
    check = states["CheckPackage"]
    # Then: the resolve function checks it, with the execution's package ARN
    assert check["Resource"].endswith(":states:::lambda:invoke")
    assert check["Parameters"]["FunctionName"] == PACKAGE_CHECK
    assert check["Parameters"]["Payload"] == {"modelPackageArn.$": "$.modelPackageArn"}
    # And its refusal ends the run as UnregisteredPackage; any other failure cleans up and notifies
    refusal, other = check["Catch"]
    assert refusal["ErrorEquals"] == ["UnregisteredPackageError"]
    assert (states[refusal["Next"]]["Type"], states[refusal["Next"]]["Error"]) == (
        "Fail",
        "UnregisteredPackage",
    )
    assert (other["ErrorEquals"], other["Next"]) == (["States.ALL"], "CleanUpAfterFailure")
    # And only a package that passes reaches CreateModel
    assert check["Next"] == "CreateModel"
    # And the prefix was checked before the package: nothing is invoked for a refused input
    assert states["CheckInputPrefix"]["Default"] == "CheckPackage"


GOOD_RUN = {
    "modelPackageArn": "arn:aws:sagemaker:us-east-1:1:model-package/m/1",
    "transformJobName": "churn-2025-11-26",
    "inputPrefix": "daily/",
    "contentType": "text/csv",
    "instanceType": "ml.m5.large",
    "instanceCount": 1,
    "maxPayloadInMB": 6,
}


def _holds(rule: dict, run: dict) -> bool:
    """A Choice rule of the definition, decided over an execution input (an evaluator of our own)."""
    if "Not" in rule:
        return not _holds(rule["Not"], run)
    if "Or" in rule:
        return any(_holds(inner, run) for inner in rule["Or"])
    name = rule["Variable"].removeprefix("$.")
    if "IsPresent" in rule:
        return (name in run) == rule["IsPresent"]
    if "IsString" in rule:
        return isinstance(run.get(name), str) == rule["IsString"]
    if "IsNumeric" in rule:
        value = run.get(name)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        return numeric == rule["IsNumeric"]
    if "StringEquals" in rule:
        return run[name] == rule["StringEquals"]
    return fnmatch.fnmatchcase(run[name], rule["StringMatches"])


def _after_prefix_check(definition, run: dict) -> dict:
    choice = definition["States"]["CheckInputPrefix"]
    chosen = next((rule["Next"] for rule in choice["Choices"] if _holds(rule, run)), choice["Default"])
    return {"name": chosen, **definition["States"][chosen]}


@pytest.mark.parametrize(
    ("prefix", "problem"),
    [
        (None, "is missing or is not text"),
        (["daily/"], "is missing or is not text"),
        ("", "is empty"),
        ("s3://other-bucket/data/", "names a URI, a bucket or an ARN"),
        ("arn:aws:s3:::other-bucket/data", "names a URI, a bucket or an ARN"),
        ("/batch-input/other-model/", "starts with '/'"),
        ("..", "is '..'"),
        ("../other-model/daily/", "starts with a '..' segment"),
        ("daily/..", "ends with a '..' segment"),
        ("daily/../../other-model/", "has a '..' segment"),
        ("daily//2025/", "has an empty segment"),
    ],
)
def test_an_input_prefix_that_could_leave_the_models_folder_ends_the_run_before_any_job(
    definition, prefix, problem
):
    # Given: a run naming a registered package and a bad prefix (or none)
    run = dict(GOOD_RUN)
    del run["inputPrefix"]
    if prefix is not None:
        run["inputPrefix"] = prefix
    # When: the workflow checks it
    state = _after_prefix_check(definition, run)
    # Then: the run fails there, before the package check and any model or job, naming the problem
    assert (state["Type"], state["Error"]) == ("Fail", "InvalidInputPrefix")
    assert f"inputPrefix {problem}" in state["Cause"]
    assert "batch-input/<model_name>/" in state["Cause"]


@pytest.mark.parametrize("prefix", ["daily/", "daily/2025-11-26/", "part-0001.csv", "a..b/", "x/.hidden"])
def test_a_relative_prefix_inside_the_models_folder_goes_on_to_the_package_check(definition, prefix):
    state = _after_prefix_check(definition, GOOD_RUN | {"inputPrefix": prefix})
    assert state["name"] == "CheckPackage"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("transformJobName", None),
        ("transformJobName", 7),
        ("contentType", None),
        ("instanceType", ["ml.m5.large"]),
        ("instanceCount", None),
        ("instanceCount", "2"),
        ("instanceCount", True),
        ("maxPayloadInMB", None),
    ],
)
def test_a_run_missing_a_field_its_states_read_fails_before_anything_starts(definition, field, value):
    # Given: an otherwise good run whose field is missing (None) or of the wrong type
    run = dict(GOOD_RUN)
    if value is None:
        del run[field]
    else:
        run[field] = value
    # When: the workflow checks it
    state = _after_prefix_check(definition, run)
    # Then: it fails there, naming the field: not with an uncatchable runtime error after CreateModel
    assert (state["Type"], state["Error"]) == ("Fail", "InvalidInput")
    assert f"input's {field} is missing or is not" in state["Cause"]


def test_the_jobs_payload_limit_is_the_runs_which_the_manifest_sets(definition):
    # Given: the run suggested for a manifest's max_payload_mb
    suggested = execution_input(registered_detail("batch"))
    # Then: the job's MaxPayloadInMB is read from that field of the run
    parameters = definition["States"]["Transform"]["Parameters"]
    assert parameters["MaxPayloadInMB.$"] == "$.maxPayloadInMB"
    assert isinstance(suggested["maxPayloadInMB"], int)
