"""End to end through the provisioning API only: upload, staging, approval by another person, production,
status and rollback, each checked against what the local AWS holds."""

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import Credentials

from mlops_cli.api_client import ApiClient, put_file
from mlops_cli.errors import CliError
from mlops_local.demo_model import build_demo_model
from mlops_local.pipeline_runner import await_decision
from mlops_local.session import LocalOrchestrator
from tests.e2e.conftest import executions_of, stack_exists

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]
MODEL = "e2e-api"


def person(local: LocalOrchestrator, name: str) -> ApiClient:
    """An IAM user of the local AWS with an access key, calling the API as itself."""
    iam = local.aws.client("iam")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return ApiClient(local.api_url, Credentials(key["AccessKeyId"], key["SecretAccessKey"]), "us-east-1")


@pytest.fixture(scope="module")
def uploader(local) -> ApiClient:
    return person(local, "api-uploader")


@pytest.fixture(scope="module")
def approver(local) -> ApiClient:
    return person(local, "api-approver")


def upload(local: LocalOrchestrator, client: ApiClient, folder: Path, version: str) -> dict[str, Any]:
    """Build the demo model, ask the API for an upload, PUT both files to its URLs, run what follows."""
    model = build_demo_model(folder, model_name=MODEL, version=version)
    manifest = json.loads(model.manifest.read_text())
    manifest.pop("monitoring")  # its baseline dataset would need a plain S3 upload
    raw = json.dumps(manifest).encode()
    grant = client.call("POST", "uploads", _upload_request(manifest, model.artifact, raw))
    put_file(grant["artifact"], model.artifact)
    put_file(grant["manifest"], raw)
    local.settle(approve=await_decision)
    return grant


def _upload_request(manifest: dict[str, Any], artifact: Path, raw: bytes) -> dict[str, Any]:
    import hashlib

    return {
        "model_name": manifest["model_name"],
        "version": manifest["version"],
        "artifact_size_bytes": artifact.stat().st_size,
        "artifact_sha256": manifest["artifact"]["sha256"],
        "manifest_size_bytes": len(raw),
        "manifest_sha256": hashlib.sha256(raw).hexdigest(),
    }


def production_version(local: LocalOrchestrator) -> str:
    """The model version the production endpoint stack was last deployed with."""
    stack = local.aws.client("cloudformation").describe_stacks(StackName=f"mlops-{MODEL}-production")
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Stacks"][0]["Parameters"]}
    return parameters["ModelVersion"]


def approve_and_deploy(local: LocalOrchestrator, approver: ApiClient, version: str) -> dict[str, Any]:
    decided = approver.call("POST", f"models/{MODEL}/versions/{version}/approve", {"comment": "reviewed"})
    local.settle(approve=await_decision)
    return decided


def test_unsigned_and_badly_signed_requests_are_refused_before_the_function(local, uploader):
    # Given a request with no signature, When it reaches the API, Then API Gateway's 403 answers it
    request = urllib.request.Request(local.api_url + f"models/{MODEL}", method="GET")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert "Missing Authentication Token" in json.loads(refused.value.read())["message"]
    # And a known key with the wrong secret, or a key the local AWS never issued, is refused too
    key = uploader.credentials.access_key
    for credentials, expected in (
        (Credentials(key, "not-the-secret"), "signature we calculated does not match"),
        (Credentials("AKIAUNKNOWN000000000", "x"), "security token included in the request is invalid"),
    ):
        with pytest.raises(CliError, match=expected):
            ApiClient(local.api_url, credentials, "us-east-1").call("GET", f"models/{MODEL}")


def test_validate_answers_every_field_problem_of_a_bad_manifest(local, uploader, tmp_path):
    # Given a manifest with an instance type SageMaker does not have and no version
    manifest = json.loads(build_demo_model(tmp_path, model_name="e2e-api-bad").manifest.read_text())
    manifest["inference"]["instance_type"] = "m5.large"
    del manifest["version"]
    # When it is validated through the API
    verdict = uploader.call("POST", "manifests/validate", json.dumps(manifest).encode())
    # Then both problems are named by their field, and nothing was uploaded
    assert verdict["valid"] is False
    assert {"inference.instance_type", "version"} <= {p["path"] for p in verdict["problems"]}
    s3 = local.aws.client("s3")
    assert s3.list_objects_v2(Bucket=local.registry_bucket, Prefix="models/e2e-api-bad/")["KeyCount"] == 0


def test_upload_approve_and_roll_back_through_the_api(local, uploader, approver, tmp_path):
    # Given version 1 uploaded through the API: staging is deployed and production waits for approval
    grant = upload(local, uploader, tmp_path / "v1", "1")
    s3 = local.aws.client("s3")
    head = s3.head_object(Bucket=local.registry_bucket, Key=grant["manifest"]["key"])
    assert head["Metadata"]["requested-by"] == "arn:aws:iam::123456789012:user/api-uploader"
    assert stack_exists(local, f"mlops-{MODEL}-staging")
    assert not stack_exists(local, f"mlops-{MODEL}-production")
    # When the uploader approves it, Then separation of duties refuses, and production is still not deployed
    with pytest.raises(CliError, match="403 separation_of_duties"):
        approve_and_deploy(local, uploader, "1")
    assert not stack_exists(local, f"mlops-{MODEL}-production")
    # When another person approves it, Then production runs version 1
    decided = approve_and_deploy(local, approver, "1")
    assert decided["decision"] == "Approved"
    (first,) = executions_of(local, MODEL)
    assert first.status == "Succeeded", first.actions[-1].message
    assert production_version(local) == "1"
    # And GET status shows the approved version and the production endpoint in service
    status = approver.call("GET", f"models/{MODEL}")
    assert [v["approval"] for v in status["versions"]] == ["Approved"]
    assert {e["stage"]: e["status"] for e in status["endpoints"]} == {
        "staging": "InService",
        "production": "InService",
    }
    # Given version 2 uploaded and approved the same way
    upload(local, uploader, tmp_path / "v2", "2")
    approve_and_deploy(local, approver, "2")
    assert executions_of(local, MODEL)[-1].status == "Succeeded"
    assert production_version(local) == "2"
    # When production is rolled back, and the rollback's approval is given
    rolled = approver.call("POST", f"models/{MODEL}/rollback", {})
    local.settle(approve=await_decision)
    approve_and_deploy(local, approver, "1")
    # Then production runs version 1 again
    assert rolled["to_version"] == "1"
    assert production_version(local) == "1"
    assert executions_of(local, MODEL)[-1].status == "Succeeded"
