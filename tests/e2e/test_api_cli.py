"""The `mlops` CLI through the local provisioning API (`mlops --api URL ...`), signing as named profiles."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_cli.main import cli
from mlops_local.demo_model import DemoModel, build_demo_model
from mlops_local.pipeline_runner import await_decision
from mlops_local.session import LocalOrchestrator
from tests.e2e.conftest import executions_of, stack_exists

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]
MODEL = "e2e-api-cli"
SCIENTIST, APPROVER = "api-cli-scientist", "api-cli-approver"


@pytest.fixture(scope="module")
def credentials_file(local: LocalOrchestrator, tmp_path_factory) -> Path:
    """A shared credentials file with one profile per IAM user of the local AWS."""
    iam, lines = local.aws.client("iam"), []
    for user in (SCIENTIST, APPROVER):
        iam.create_user(UserName=user)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        lines += [f"[{user}]", f"aws_access_key_id = {key['AccessKeyId']}"]
        lines += [f"aws_secret_access_key = {key['SecretAccessKey']}", ""]
    path = tmp_path_factory.mktemp("aws") / "credentials"
    path.write_text("\n".join(lines))
    return path


@pytest.fixture
def mlops(local: LocalOrchestrator, credentials_file: Path):
    """Run `mlops --api <local API> <command> ... --profile <who>`; returns click's result."""

    def run(who: str, command: str, *args: str):
        env = {"AWS_SHARED_CREDENTIALS_FILE": str(credentials_file), "MLOPS_API_URL": local.api_url}
        return CliRunner().invoke(cli, [command, *args, "--profile", who], env=env)

    return run


def _model(folder: Path, version: str) -> DemoModel:
    """The demo model without its baseline dataset (the API uploads models, not datasets)."""
    model = build_demo_model(folder, model_name=MODEL, version=version)
    manifest = json.loads(model.manifest.read_text())
    manifest.pop("monitoring")
    model.manifest.write_text(json.dumps(manifest))
    return model


def test_validate_through_the_api_lists_the_field_problems(mlops, tmp_path):
    model = _model(tmp_path, "1")
    manifest = json.loads(model.manifest.read_text())
    manifest["inference"]["instance_type"] = "m5.large"
    model.manifest.write_text(json.dumps(manifest))
    result = mlops(SCIENTIST, "validate", str(model.manifest))
    assert result.exit_code == 1
    assert "inference.instance_type: found 'm5.large'" in result.output


def test_push_status_approve_and_reject_through_the_api(local, mlops, tmp_path):
    # Given version 1 pushed through the API by the scientist (no bucket named anywhere)
    v1 = _model(tmp_path / "v1", "1")
    pushed = mlops(SCIENTIST, "push", str(v1.artifact), "--manifest", str(v1.manifest), "--no-progress")
    assert pushed.exit_code == 0, pushed.output
    local.settle(approve=await_decision)
    s3 = local.aws.client("s3")
    head = s3.head_object(Bucket=local.registry_bucket, Key=f"models/{MODEL}/1/manifest.json")
    assert head["Metadata"]["requested-by"] == f"arn:aws:iam::123456789012:user/{SCIENTIST}"
    # Then status through the API shows staging in service and production not deployed
    status = json.loads(mlops(APPROVER, "status", MODEL, "--json").output)
    assert {e["stage"]: e["status"] for e in status["endpoints"]} == {
        "staging": "InService",
        "production": "NotDeployed",
    }
    # When the scientist approves their own upload, Then the CLI names the refusal and exits 1
    refused = mlops(SCIENTIST, "approve", MODEL, "1")
    assert refused.exit_code == 1
    assert "403 separation_of_duties" in refused.output
    # When the approver approves it, Then production is deployed
    approved = mlops(APPROVER, "approve", MODEL, "1", "--comment", "metrics reviewed")
    assert approved.exit_code == 0, approved.output
    local.settle(approve=await_decision)
    assert stack_exists(local, f"mlops-{MODEL}-production")
    # When version 2 is pushed and the approver rejects it, Then its execution stops before production
    v2 = _model(tmp_path / "v2", "2")
    assert mlops(SCIENTIST, "push", str(v2.artifact), "--manifest", str(v2.manifest)).exit_code == 0
    local.settle(approve=await_decision)
    rejected = mlops(APPROVER, "reject", MODEL, "2", "--comment", "latency too high")
    assert rejected.exit_code == 0, rejected.output
    local.settle(approve=await_decision)
    last = executions_of(local, MODEL)[-1]
    assert (last.variables["ModelVersion"], last.status) == ("2", "Failed")
    assert "latency too high" in last.actions[-1].message


def test_rollback_of_an_unknown_model_is_a_clear_error(mlops):
    # Given no model of that name, When rollback is asked for
    result = mlops(APPROVER, "rollback", "e2e-api-cli-unknown")
    # Then the API's 404 becomes a message naming the problem
    assert result.exit_code == 1
    assert "404 not_found" in result.output and "no model named 'e2e-api-cli-unknown'" in result.output


def test_decisions_need_the_api(tmp_path):
    result = CliRunner().invoke(cli, ["approve", MODEL, "1"], env={"MLOPS_API_URL": ""})
    assert result.exit_code == 1
    assert "needs the provisioning API: pass `mlops --api URL` or set MLOPS_API_URL" in result.output
