"""The blueprint's own SageMaker role: one property per test, for each inference type."""

from __future__ import annotations

import json

import pytest

from mlops_manifest.inference import InferenceType
from tests.infra.blueprint.conftest import ENDPOINT_TYPES, INSTANCE_BACKED, the_one

ROLE = "AWS::IAM::Role"
URL = {"Ref": "ModelDataUrl"}
# arn:<partition>:s3::: followed by the ModelDataUrl without its scheme.
ARTIFACT = {
    "Fn::Join": [
        "",
        ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Fn::Select": [1, {"Fn::Split": ["s3://", URL]}]}],
    ]
}
ENDPOINT_NAME = '{"Fn::Join": ["-", [{"Ref": "ModelName"}, {"Ref": "StageName"}]]}'


def statements(document, action):
    (policy,) = the_one(document, ROLE)["Properties"]["Policies"]
    found = policy["PolicyDocument"]["Statement"]
    return [s for s in found if action in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])]


def resources(document, action):
    return [
        r
        for s in statements(document, action)
        for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
    ]


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_role_sits_under_the_stage_path(blueprints, kind):
    role = the_one(blueprints.json(kind), ROLE)["Properties"]
    assert role["Path"] == {"Fn::Join": ["", ["/mlops/", {"Ref": "StageName"}, "/"]]}


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_role_carries_the_stage_boundary(blueprints, kind):
    role = the_one(blueprints.json(kind), ROLE)["Properties"]
    assert role["PermissionsBoundary"] == {"Ref": "ModelRoleBoundaryArn"}


@pytest.mark.parametrize("kind", [InferenceType.REALTIME, InferenceType.SERVERLESS])
def test_role_reads_exactly_its_artifact(blueprints, kind):
    assert resources(blueprints.json(kind), "s3:GetObject") == [ARTIFACT]


def test_async_role_reads_its_artifact_and_its_own_endpoints_requests(blueprints):
    reads = resources(blueprints.json(InferenceType.ASYNC), "s3:GetObject")
    assert len(reads) == 2 and ARTIFACT in reads
    (requests,) = [read for read in reads if read != ARTIFACT]
    assert f'"/async-input/", {ENDPOINT_NAME}, "/*"' in json.dumps(requests)


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_role_decrypts_the_artifact_only_through_s3_for_its_bucket(blueprints, kind):
    (decrypt,) = [
        s for s in statements(blueprints.json(kind), "kms:Decrypt") if "GenerateDataKey" not in str(s)
    ]
    condition = decrypt["Condition"]["StringEquals"]
    assert condition["kms:ViaService"] == {
        "Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]
    }
    assert ARTIFACT in condition["kms:EncryptionContext:aws:s3:arn"]


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_role_writes_only_under_its_own_endpoints_prefixes(blueprints, kind):
    writes = sorted(json.dumps(write) for write in resources(blueprints.json(kind), "s3:PutObject"))
    (capture,) = [write for write in writes if '{"Ref": "DataCaptureS3Uri"}' in write]
    assert f'"/", {ENDPOINT_NAME}, "/*"' in capture
    answers = [write for write in writes if '{"Ref": "AsyncOutputS3Uri"}' in write]
    assert len(answers) == (1 if kind is InferenceType.ASYNC else 0)
    assert len(writes) == 1 + len(answers)


def test_serverless_role_writes_nothing(blueprints):
    assert resources(blueprints.json(InferenceType.SERVERLESS), "s3:PutObject") == []


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_role_pulls_only_from_the_registered_images_account_and_region(blueprints, kind):
    (pull,) = resources(blueprints.json(kind), "ecr:BatchGetImage")
    host = {"Fn::Split": [".", {"Fn::Select": [0, {"Fn::Split": ["/", {"Ref": "ImageUri"}]}]}]}
    parts = pull["Fn::Join"][1]
    assert {"Fn::Select": [3, host]} in parts and {"Fn::Select": [0, host]} in parts
    assert parts[-1] == ":repository/*"


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_role_is_assumable_only_by_sagemaker_for_this_accounts_resources(blueprints, kind):
    (trust,) = the_one(blueprints.json(kind), ROLE)["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    assert '{"Ref": "AWS::AccountId"}, ":*"' in json.dumps(trust["Condition"]["ArnLike"]["aws:SourceArn"])
