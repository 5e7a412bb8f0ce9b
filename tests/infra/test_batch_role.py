"""The batch role, decided over its resolved policy: production's batch data in, results out, nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_audit.iam_policies import ACCOUNT
from tests.infra.iam_evaluation import allowed, role_statements
from tests.infra.iam_helpers import as_list

TOOLING = "MlopsOrchestrator-Tooling"
REGION = "us-east-1"


def _bucket(template: dict[str, Any], prefix: str) -> str:
    """The resolved ARN of the one bucket whose logical id starts with the prefix."""
    (logical_id,) = [
        k for k, r in template["Resources"].items() if k.startswith(prefix) and r["Type"] == "AWS::S3::Bucket"
    ]
    return f"arn:aws:s3:::{logical_id.lower()}"


@pytest.fixture(scope="module")
def tooling(synthesized_app) -> dict[str, Any]:
    return synthesized_app.template("Tooling").to_json()


@pytest.fixture(scope="module")
def batch(tooling) -> list[dict[str, Any]]:
    return role_statements(TOOLING, tooling, "BatchRole")


@pytest.fixture(scope="module")
def data(tooling) -> str:
    return _bucket(tooling, "RegistryDataCapture")


def test_the_batch_role_reads_any_runs_input_under_batch_input(batch, data):
    assert allowed(batch, "s3:GetObject", f"{data}/batch-input/fraud-scoring/daily/part-0001.csv")
    assert allowed(batch, "s3:ListBucket", data, **{"s3:prefix": "batch-input/fraud-scoring/daily/"})


@pytest.mark.parametrize(
    "key",
    ["capture/fraud-scoring-production/AllTraffic/x.jsonl", "ground-truth/x.jsonl", "batch-output/m/j/x.out"],
)
def test_it_reads_nothing_else_of_productions_data(batch, data, key):
    assert not allowed(batch, "s3:GetObject", f"{data}/{key}")
    assert not allowed(batch, "s3:ListBucket", data, **{"s3:prefix": key})


def test_it_writes_results_only_under_batch_output(batch, data):
    assert allowed(batch, "s3:PutObject", f"{data}/batch-output/fraud-scoring/run-1/part-0001.csv.out")
    for key in ("batch-input/fraud-scoring/daily/x.csv", "capture/x.jsonl", "ground-truth/x.jsonl"):
        assert not allowed(batch, "s3:PutObject", f"{data}/{key}")


def test_another_bucket_is_neither_read_nor_written(batch, tooling):
    for other in ("arn:aws:s3:::someone-elses-bucket", _bucket(tooling, "RegistryReports")):
        assert not allowed(batch, "s3:GetObject", f"{other}/batch-input/fraud-scoring/daily/x.csv")
        assert not allowed(batch, "s3:PutObject", f"{other}/batch-output/fraud-scoring/run-1/x.out")


def test_it_loads_registered_artifacts_only(batch, tooling):
    registry = _bucket(tooling, "RegistryModelRegistry")
    assert allowed(batch, "s3:GetObject", f"{registry}/artifacts/sha256/{'a' * 64}/model.tar.gz")
    assert not allowed(batch, "s3:GetObject", f"{registry}/models/fraud-scoring/v1/model.tar.gz")


def test_no_s3_action_on_every_resource(batch):
    # CDK's CreateModel task would add s3:GetObject on "*" to a role it may change
    wide = [s for s in batch if "*" in as_list(s["Resource"])]
    assert all(not str(action).startswith("s3:") for s in wide for action in as_list(s["Action"]))


def test_the_data_key_is_used_only_through_s3(batch):
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/registrydatakey0f69cdc7"
    assert allowed(batch, "kms:GenerateDataKey", key, **{"kms:ViaService": f"s3.{REGION}.amazonaws.com"})
    assert not allowed(batch, "kms:Decrypt", key)
    assert not allowed(batch, "kms:Decrypt", key, **{"kms:ViaService": f"sqs.{REGION}.amazonaws.com"})


def test_the_workflow_runs_its_models_and_jobs_as_the_batch_role(tooling):
    resources = tooling["Resources"]
    (role,) = [k for k, r in resources.items() if k.startswith("BatchRole") and r["Type"] == "AWS::IAM::Role"]
    (machine,) = [
        r
        for k, r in resources.items()
        if k.startswith("BatchTransform") and r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    assert {"Fn::GetAtt": [role, "Arn"]} in parts
