"""End to end, locally: what registration verified is what every stage runs, whatever the upload becomes."""

import hashlib

import pytest

from mlops_local.pipeline_calls import Execution
from tests.e2e.conftest import executions_of, stack_exists

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]
EVIL_IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/evil:latest"


def _stack_parameters(local, stack: str) -> dict[str, str]:
    (described,) = local.aws.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    return {p["ParameterKey"]: p["ParameterValue"] for p in described["Parameters"]}


def _sha256_at(local, url: str) -> str:
    bucket, _, key = url.removeprefix("s3://").partition("/")
    body = local.aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return hashlib.sha256(body).hexdigest()


def test_overwriting_the_upload_after_registration_changes_nothing_deployed(local, push):
    # Given a model whose upload is overwritten with other bytes once staging is deployed (at approval)
    s3 = local.aws.client("s3")
    upload_key = "models/e2e-sealed/1/model.tar.gz"

    def overwrite_then_approve(question: str) -> bool:
        s3.put_object(Bucket=local.registry_bucket, Key=upload_key, Body=b"not the registered model")
        return True

    pushed = push("e2e-sealed", approve=overwrite_then_approve)
    # Then production still deployed, and both stages run the registered bytes, not the upload's
    (execution,) = pushed.executions
    assert execution.status == "Succeeded", execution.actions[-1].message
    registered = pushed.manifest["artifact"]["sha256"]
    assert _sha256_at(local, f"s3://{local.registry_bucket}/{upload_key}") != registered
    for stage in ("staging", "production"):
        url = _stack_parameters(local, f"mlops-e2e-sealed-{stage}")["ModelDataUrl"]
        assert url == f"s3://{local.registry_bucket}/artifacts/sha256/{registered}/model.tar.gz"
        assert _sha256_at(local, url) == registered


def _start_crafted(local, variables: dict[str, str]) -> Execution:
    """StartPipelineExecution as any caller allowed to start the pipeline could call it, then settle."""
    codepipeline = local.aws.client("codepipeline")
    pipeline = local.outputs["RealtimePipelineName"]
    codepipeline.start_pipeline_execution(
        name=pipeline, variables=[{"name": k, "value": v} for k, v in variables.items()]
    )
    local.settle()
    return local.calls.executions[-1]


def test_a_crafted_execution_cannot_deploy_an_unregistered_image(local, push):
    # Given a registered model, and a package someone created by hand around the same sealed bytes
    pushed = push("e2e-crafted")
    (registered,) = pushed.executions
    sagemaker = local.aws.client("sagemaker")
    url = _stack_parameters(local, "mlops-e2e-crafted-staging")["ModelDataUrl"]
    forged = sagemaker.create_model_package(
        ModelPackageGroupName="e2e-crafted",
        InferenceSpecification={
            "Containers": [{"Image": EVIL_IMAGE, "ModelDataUrl": url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    # When an execution is started by hand naming the forged package (and an image, which is no variable)
    variables = dict(registered.variables) | {"ModelName": "e2e-crafted-x", "ModelPackageArn": forged}
    execution = _start_crafted(local, variables | {"ImageUri": EVIL_IMAGE})
    # Then the stage's resolve step refuses it and no stack is created
    assert execution.status == "Failed"
    failed = execution.actions[-1]
    assert (failed.stage, failed.action) == ("Staging", "Resolve")
    assert "e2e-crafted-x 1 was never registered" in failed.message
    assert not stack_exists(local, "mlops-e2e-crafted-x-staging")
    # And naming the registered model's label with the forged package fails the same way
    execution = _start_crafted(local, dict(registered.variables) | {"ModelPackageArn": forged})
    assert execution.status == "Failed"
    assert execution.actions[-1].action == "Resolve"
    assert f"is {registered.variables['ModelPackageArn']}" in execution.actions[-1].message
    assert len(executions_of(local, "e2e-crafted")) == 2


def test_a_scikit_learn_model_deploys_with_its_entry_point(local, push):
    # Given the demo model (scikit-learn: its container imports code/inference.py only when told to)
    pushed = push("e2e-program")
    (execution,) = pushed.executions
    assert execution.status == "Succeeded", execution.actions[-1].message
    # Then each stage's model names the entry point, from the registration record through Resolve
    for stage in ("staging", "production"):
        assert _stack_parameters(local, f"mlops-e2e-program-{stage}")["ServingProgram"] == "inference.py"
