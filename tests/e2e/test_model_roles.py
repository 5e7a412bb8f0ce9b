"""End to end, locally: each endpoint stack's model runs as its own role, which reads only its artifact."""

import pytest

from tests.moto_policies import policy_document

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]


def _model_of(local, stack):
    resources = local.aws.client("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    (physical,) = [
        r["PhysicalResourceId"] for r in resources if r.get("ResourceType") == "AWS::SageMaker::Model"
    ]
    return local.aws.client("sagemaker").describe_model(ModelName=physical.rsplit("/", 1)[-1])


def test_each_stage_model_runs_as_its_own_bounded_role_that_reads_only_its_artifact(local, push):
    # Given a model pushed through staging and production
    pushed = push("e2e-roles")
    (execution,) = pushed.executions
    assert execution.status == "Succeeded", execution.actions[-1].message
    iam = local.aws.client("iam")
    boundaries = set()
    for stage in ("staging", "production"):
        # When its endpoint stack's model is read back
        model = _model_of(local, f"mlops-e2e-roles-{stage}")
        role = iam.get_role(RoleName=model["ExecutionRoleArn"].rsplit("/", 1)[-1])["Role"]
        # Then it runs as a role under the stage's path, with that stage's boundary
        assert role["Path"] == f"/mlops/{stage}/"
        boundaries.add(role["PermissionsBoundary"]["PermissionsBoundaryArn"])
        (name,) = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
        policy = policy_document(
            iam.get_role_policy(RoleName=role["RoleName"], PolicyName=name)["PolicyDocument"]
        )
        # And its policy reads exactly the registered artifact the model loads
        reads = [s["Resource"] for s in policy["Statement"] if "s3:GetObject" in s["Action"]]
        artifact = model["PrimaryContainer"]["ModelDataUrl"].removeprefix("s3://")
        assert reads == [f"arn:aws:s3:::{artifact}"]
        assert "/artifacts/sha256/" in artifact
    assert len(boundaries) == 2  # one ceiling per stage
