"""End to end in three accounts (config/local-multi-account.toml): tooling 111111111111, qa and staging in
222222222222, production in 333333333333. Each stage's endpoint, captured traffic and drift reports stay in
its own account; its lifecycle events reach the tooling bus; `mlops status` reads every stage where it is.

The app is synthesized once for this module, and the module runs before the single-account tests start
their local AWS (tests/e2e/conftest.py orders it first): two local AWS sessions cannot share a process.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from mlops_cli.aws import _assumed
from mlops_cli.main import cli
from mlops_config import load_config
from mlops_local.assembly import Assembly
from mlops_local.demo import DEMO_THRESHOLDS, drift_input
from mlops_local.demo_model import build_demo_model, shifted_rows
from mlops_local.pipeline_calls import Execution
from mlops_local.session import LocalOrchestrator
from mlops_local.traffic import send_rows
from mlops_local.upload import push_model
from stacks.orchestrator_app import build_app, feature_flags
from tests.conftest import REPO_ROOT

# moto's CloudFormation warns for each resource type it skips (alarms, schedules): expected here.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]

CONFIG = REPO_ROOT / "config" / "local-multi-account.toml"
TOOLING, PRE_PRODUCTION, PRODUCTION = "111111111111", "222222222222", "333333333333"
MODEL = "multi"
HOME = {f"{MODEL}-qa": PRE_PRODUCTION, f"{MODEL}-staging": PRE_PRODUCTION, f"{MODEL}-production": PRODUCTION}


@dataclass(frozen=True)
class Deployed:
    """The local orchestrator in three accounts, after one model went through every stage and drifted."""

    local: LocalOrchestrator
    execution: Execution
    drift: dict[str, Any]


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    if boto3.DEFAULT_SESSION is not None:
        pytest.fail("another local AWS is running in this process: run this module before the others")
    from aws_cdk import App

    outdir = tmp_path_factory.mktemp("local-multi-account.out")
    build_app(App(outdir=str(outdir), context=feature_flags()), load_config(CONFIG)).synth()
    with LocalOrchestrator(Assembly(outdir)) as local:
        model = build_demo_model(tmp_path_factory.mktemp("multi-model"), model_name=MODEL)
        manifest = json.loads(model.manifest.read_text())
        manifest["monitoring"]["thresholds"] = DEMO_THRESHOLDS
        push_model(local.aws.client("s3"), local.registry_bucket, model.artifact, manifest, model.baseline)
        (execution,) = local.settle()
        assert execution.status == "Succeeded", execution.actions[-1].message
        endpoint = f"{MODEL}-production"
        send_rows(local.aws.client("sagemaker-runtime"), endpoint, shifted_rows(600, seed=2), batch_size=50)
        drift = local.drift_check(drift_input(local, execution, endpoint))
        yield Deployed(local, execution, drift)


def _in(local: LocalOrchestrator, account: str) -> Any:
    """Clients in one account: the tooling credentials, else the CDK deploy role there."""
    if account == TOOLING:
        return local.aws
    (stage,) = [stage for stage in local.stages if stage.account == account]
    return stage.clients


def _objects(local: LocalOrchestrator, account: str) -> list[tuple[str, str]]:
    """(bucket, key) of every object in every bucket the account owns."""
    s3 = _in(local, account).client("s3")
    found = []
    for bucket in s3.list_buckets()["Buckets"]:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
            found += [(bucket["Name"], item["Key"]) for item in page.get("Contents", [])]
    return found


def test_each_stages_endpoint_and_stack_are_in_its_own_account_only(multi):
    # Given the model deployed through qa, staging and production, When each account lists its endpoints
    for account in (TOOLING, PRE_PRODUCTION, PRODUCTION):
        clients = _in(multi.local, account)
        names = {e["EndpointName"] for e in clients.client("sagemaker").list_endpoints()["Endpoints"]}
        stacks = {
            s["StackName"]
            for s in clients.client("cloudformation").list_stacks()["StackSummaries"]
            if s["StackStatus"] != "DELETE_COMPLETE"
        }
        # Then exactly that account's stages are there, endpoint and stack alike
        mine = {name for name, home in HOME.items() if home == account}
        assert {n for n in names if n.startswith(f"{MODEL}-")} == mine, account
        assert {s for s in stacks if s.startswith(f"mlops-{MODEL}-")} == {f"mlops-{n}" for n in mine}, account
    # And the deploy actions said where they ran
    deploys = [a.message for a in multi.execution.actions if a.action == "Deploy"]
    assert [m.split("(account ")[1][:12] for m in deploys] == [PRE_PRODUCTION, PRE_PRODUCTION, PRODUCTION]


def test_captured_traffic_and_drift_reports_stay_in_the_stage_account(multi):
    # Given smoke tests and traffic captured, and a drift check that found drift
    assert multi.drift["status"] == "drift"
    objects = {account: _objects(multi.local, account) for account in (TOOLING, PRE_PRODUCTION, PRODUCTION)}
    for endpoint, home in HOME.items():
        # Then each endpoint's captures are in its own account's buckets and in no other account
        captured = {a for a, items in objects.items() for _, key in items if f"capture/{endpoint}/" in key}
        assert captured == {home}, endpoint
    # And the drift reports (JSON and HTML) are in the production account only
    reports = {
        (a, key.rsplit(".", 1)[-1]) for a, items in objects.items() for _, key in items if "drift/" in key
    }
    assert reports == {(PRODUCTION, "json"), (PRODUCTION, "html")}
    assert any(key == multi.drift["report_key"] for _, key in objects[PRODUCTION])


def test_lifecycle_events_of_the_stage_accounts_arrive_on_the_tooling_bus(multi):
    arrived = [(e["account"], e["detail-type"], e["detail"]) for e in multi.local.router.arrivals]
    # Then each endpoint stack's deployment arrived from its own account
    stacks = {
        (a, d["stack-id"].split(":stack/")[1].split("/")[0]) for a, t, d in arrived if t.startswith("Cloud")
    }
    assert stacks == {(home, f"mlops-{endpoint}") for endpoint, home in HOME.items()}
    assert all(f":{a}:stack/" in d["stack-id"] for a, t, d in arrived if t.startswith("Cloud"))
    # And the drift finding arrived from production, and people were told from the tooling account
    (drift,) = [d for a, t, d in arrived if t == "ModelDriftDetected" and a == PRODUCTION]
    assert drift["endpoint_name"] == f"{MODEL}-production"
    told = [message for _, message in multi.local.notifications() if "ModelDriftDetected" in message]
    assert told and f"in account {PRODUCTION}" in told[0]


def _reader(local: LocalOrchestrator, account: str) -> str:
    (stage,) = [stage for stage in local.stages if stage.account == account]
    return stage.outputs["ReportReaderRoleArn"]


def _status(local: LocalOrchestrator, *extra: str) -> Any:
    _assumed.cache_clear()
    args = ["status", MODEL, "--config", str(CONFIG), "--endpoint-url", local.aws.url, *extra]
    return CliRunner().invoke(cli, args, env={"MLOPS_CONFIG": None, "MLOPS_READER_ROLES": None})


def test_status_reads_every_stage_in_its_own_account_in_one_call(multi):
    roles = [f"{account}={_reader(multi.local, account)}" for account in (PRE_PRODUCTION, PRODUCTION)]

    result = _status(multi.local, "--reader-role", roles[0], "--reader-role", roles[1])

    assert result.exit_code == 0, result.output
    for endpoint, home in HOME.items():
        stage = endpoint.rsplit("-", 1)[1]
        assert f"  {stage}: {endpoint}  InService  (account {home})" in result.output


def test_status_says_which_stage_it_could_not_read_and_what_to_pass(multi):
    result = _status(multi.local, "--reader-role", f"{PRODUCTION}={_reader(multi.local, PRODUCTION)}")

    assert result.exit_code == 0, result.output
    assert f"  production: {MODEL}-production  InService  (account {PRODUCTION})" in result.output
    assert f"  qa: {MODEL}-qa  NotRead  (account {PRE_PRODUCTION})" in result.output
    assert f"not read: no reader role given for account {PRE_PRODUCTION}: pass --reader-role" in result.output
