"""`mlops preflight` against a deployed multi-account world in moto: accounts apart by assumed credentials."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from mlops_cli.aws import _session
from mlops_cli.preflight import Finding, Preflight, run_preflight
from mlops_config import load_config
from mlops_config.targets import pipeline_role_name
from tests.conftest import REPO_ROOT

CONFIG_PATH = REPO_ROOT / "config" / "multi-account.toml"
CONFIG = load_config(CONFIG_PATH)
TOOLING, PRE_PRODUCTION, PRODUCTION = "111111111111", "222222222222", "333333333333"
REGION, SECOND_REGION = "eu-west-1", "us-east-1"
VERSION = __import__("importlib.metadata").metadata.version("mlops-orchestrator")
PIPELINE_ROLE = f"arn:aws:iam::{TOOLING}:role/{pipeline_role_name(CONFIG)}"
# Each target stack: (account, region) -> its stages; the pre-production account is in two regions.
STAGES = {
    (PRE_PRODUCTION, REGION): ("qa", "staging"),
    (PRE_PRODUCTION, SECOND_REGION): ("staging-us",),
    (PRODUCTION, REGION): ("production",),
}
BUS = "tooling-events"


def role(account, name):
    return f"arn:aws:iam::{account}:role/{name}"


def keys_of(account):
    """Credentials whose calls land in `account` (moto keys resources by the assumed credentials)."""
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=role(account, "cdk-lookup"), RoleSessionName="test"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def clients_in(account, region=REGION):
    """Clients in `account` and `region`."""
    keys = keys_of(account)
    return lambda service: boto3.client(service, region_name=region, **keys)


def tooling_env():
    """The environment of a `mlops` run with tooling credentials."""
    return {name.upper(): value for name, value in keys_of(TOOLING).items()}


def stack(clients, name, outputs):
    """A deployed stack with these outputs (a placeholder resource: preflight reads outputs only)."""
    template = {
        "Resources": {"Placeholder": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    clients("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))


def trust(principal):
    return json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]}
    )


def deploy_stage_account(account, *, version=VERSION, trusted=PIPELINE_ROLE, rules=4, region=REGION):
    clients = clients_in(account, region)
    outputs = {"OrchestratorVersion": version, "ForwardingRoleArn": role(account, f"forwarding-{region}")}
    if region != REGION:
        outputs["ArtifactCopyRoleArn"] = role(account, f"copy-{region}")
    for stage in STAGES[account, region]:
        deploy = f"{stage}-deploy"
        clients("iam").create_role(RoleName=deploy, AssumeRolePolicyDocument=trust(trusted))
        outputs[f"{stage.capitalize()}DeployRoleArn"] = role(account, deploy)
        outputs[f"{stage.capitalize()}SageMakerRoleArn"] = role(account, f"{stage}-sagemaker")
    stack(clients, f"MlopsOrchestrator-Stage-{account}-{region}", outputs)
    bus = f"arn:aws:events:{REGION}:{TOOLING}:event-bus/{BUS}"
    for index in range(rules):
        clients("events").put_rule(Name=f"forward-{index}", EventPattern=json.dumps({"source": ["x"]}))
        clients("events").put_targets(Rule=f"forward-{index}", Targets=[{"Id": "1", "Arn": bus}])


def deploy_tooling(readers, forwarders):
    clients = clients_in(TOOLING)
    clients("iam").create_role(RoleName=pipeline_role_name(CONFIG), AssumeRolePolicyDocument=trust("*"))
    accounts = sorted({reader.split(":")[4] for reader in readers})
    narrowed = {"ArnLike": {"aws:PrincipalArn": readers}}
    principal = {"AWS": [f"arn:aws:iam::{account}:root" for account in accounts]}
    policy = {
        "Statement": [
            {"Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Condition": narrowed}
        ]
    }
    key = clients("kms").create_key(Policy=json.dumps(policy))["KeyMetadata"]["Arn"]
    s3 = clients("s3")
    s3.create_bucket(Bucket="registry", CreateBucketConfiguration={"LocationConstraint": REGION})
    statement = {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Condition": narrowed}
    s3.put_bucket_policy(
        Bucket="registry",
        Policy=json.dumps({"Statement": [{**statement, "Resource": "arn:aws:s3:::registry/*"}]}),
    )
    events = clients("events")
    events.create_event_bus(Name=BUS)
    bus = f"arn:aws:events:{REGION}:{TOOLING}:event-bus/{BUS}"
    grants = [
        {
            "Sid": f"f{i}",
            "Effect": "Allow",
            "Principal": {"AWS": f},
            "Action": "events:PutEvents",
            "Resource": bus,
        }
        for i, f in enumerate(forwarders)
    ]
    events.put_permission(EventBusName=BUS, Policy=json.dumps({"Statement": grants}))
    stack(clients, "MlopsOrchestrator-PipelineIdentity", {"OrchestratorVersion": VERSION})
    outputs = {"OrchestratorVersion": VERSION, "DataKeyArn": key, "RegistryBucketName": "registry"}
    stack(clients, "MlopsOrchestrator-Tooling", {**outputs, "EventBusName": BUS})
    artifacts = {"OrchestratorVersion": VERSION}
    stack(
        clients_in(TOOLING, SECOND_REGION), f"MlopsOrchestrator-PipelineArtifacts-{SECOND_REGION}", artifacts
    )


# Who reads registered artifacts: in the tooling region each stage's per-model roles, which the tooling
# policies name by their path (account, narrowed); in another region the copy function.
MODEL_ROLES = [
    role(a, f"mlops/{s}/*") if r == REGION else role(a, f"copy-{r}")
    for (a, r), stages in STAGES.items()
    for s in stages
]
FORWARDERS = [role(a, f"forwarding-{r}") for a, r in STAGES]


@pytest.fixture
def world(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    _session.cache_clear()  # the CLI keeps one session per settings; its keys must be this test's
    with mock_aws():
        yield
    _session.cache_clear()


def preflight(assume=None):
    def by_account(account, region):
        assert (account, region) in STAGES
        return clients_in(account, region)

    tooling_in = lambda region: clients_in(TOOLING, region)  # noqa: E731
    return run_preflight(
        Preflight(CONFIG, CONFIG_PATH, clients_in(TOOLING), assume or by_account, tooling_in=tooling_in)
    )


def failures(findings: list[Finding]):
    return [(f.where, f.check, f.fix) for f in findings if not f.ok]


def test_a_deployed_world_passes_every_check(world):
    deploy_tooling(MODEL_ROLES, FORWARDERS)
    for account, region in STAGES:
        deploy_stage_account(account, region=region)

    findings = preflight()

    assert failures(findings) == []
    # 3 tooling checks and the artifact store of the second region; per target stack: trust, stack,
    # forwarding; per stage: trust and reads
    assert len(findings) == 4 + 3 * 3 + 4 * 2
    (regional,) = [f for f in findings if f.where == f"tooling/{SECOND_REGION}"]
    assert regional.check == f"stack MlopsOrchestrator-PipelineArtifacts-{SECOND_REGION}"
    (copy,) = [f for f in findings if f.where == "staging-us" and "artifacts" in f.check]
    assert copy.check == "copy function may read registered artifacts"


def deploy_all(**production):
    deploy_tooling(MODEL_ROLES, FORWARDERS)
    deploy_stage_account(PRE_PRODUCTION)
    deploy_stage_account(PRE_PRODUCTION, region=SECOND_REGION)
    deploy_stage_account(PRODUCTION, **production)


PRODUCTION_STACK = f"MlopsOrchestrator-Stage-{PRODUCTION}-{REGION}"
DEPLOY = f"npx cdk deploy -c config={CONFIG_PATH}"


def test_an_old_target_stack_is_named_with_the_command_that_updates_it(world):
    deploy_all(version="0.0.1")

    (failure,) = [f for f in preflight() if not f.ok]

    assert (failure.where, failure.check) == (f"{PRODUCTION}/{REGION}", f"stack {PRODUCTION_STACK}")
    assert failure.detail == f"version 0.0.1, this checkout {VERSION}"
    assert failure.fix == f"{DEPLOY} {PRODUCTION_STACK}"


def test_a_deploy_role_that_trusts_another_principal_fails(world):
    deploy_all(trusted=f"arn:aws:iam::{PRODUCTION}:root")

    assert failures(preflight()) == [
        ("production", "pipeline may assume the deploy role", f"{DEPLOY} {PRODUCTION_STACK}")
    ]


def test_model_roles_missing_from_the_registry_policies_fail(world):
    deploy_tooling(MODEL_ROLES[:-1], FORWARDERS)  # production's model roles are not named
    deploy_stage_account(PRE_PRODUCTION)
    deploy_stage_account(PRE_PRODUCTION, region=SECOND_REGION)
    deploy_stage_account(PRODUCTION)

    assert failures(preflight()) == [
        ("production", "model roles may read registered artifacts", f"{DEPLOY} MlopsOrchestrator-Tooling")
    ]


def test_missing_forwarding_rules_or_bus_grant_fail(world):
    deploy_tooling(MODEL_ROLES, FORWARDERS[:2])  # production's forwarding role is not named
    deploy_stage_account(PRE_PRODUCTION, rules=2)
    deploy_stage_account(PRE_PRODUCTION, region=SECOND_REGION)
    deploy_stage_account(PRODUCTION)

    failed = [(f.where, f.detail) for f in preflight() if not f.ok]

    assert failed == [
        (
            f"{PRE_PRODUCTION}/{REGION}",
            f"2 of 4 forwarding rules target the tooling bus; its policy names "
            f"{role(PRE_PRODUCTION, f'forwarding-{REGION}')}",
        ),
        (
            f"{PRODUCTION}/{REGION}",
            f"4 of 4 forwarding rules target the tooling bus; its policy does not name "
            f"{role(PRODUCTION, f'forwarding-{REGION}')}",
        ),
    ]


def test_an_account_without_bootstrap_trust_says_how_to_bootstrap_it(world):
    deploy_all()

    def refuse(account, region):
        if account == PRODUCTION:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "AssumeRole")
        return clients_in(account, region)

    (failure,) = [f for f in preflight(refuse) if not f.ok]

    assert failure.check == "bootstrap trust"
    assert f"cdk-hnb659fds-lookup-role-{PRODUCTION}-{REGION}: AccessDenied" in failure.detail
    assert failure.fix.startswith(f"npx cdk bootstrap aws://{PRODUCTION}/{REGION} --trust {TOOLING}")


def test_nothing_deployed_fails_every_stack_with_its_deploy_command(world):
    findings = preflight()

    stacks = [f.fix for f in findings if f.check.startswith("stack ")]
    assert stacks == [
        f"{DEPLOY} MlopsOrchestrator-PipelineIdentity",
        f"{DEPLOY} MlopsOrchestrator-Tooling",
        f"{DEPLOY} MlopsOrchestrator-PipelineArtifacts-{SECOND_REGION}",
        f"{DEPLOY} MlopsOrchestrator-Stage-{PRE_PRODUCTION}-{REGION}",
        f"{DEPLOY} MlopsOrchestrator-Stage-{PRE_PRODUCTION}-{SECOND_REGION}",
        f"{DEPLOY} {PRODUCTION_STACK}",
    ]
    assert not any(f.ok for f in findings if f.check != "bootstrap trust")


def test_the_command_prints_the_table_and_exits_1_on_a_failure(world, run):
    deploy_all(version="0.0.1")

    result = run("preflight", "--config", CONFIG_PATH, "--region", REGION, env=tooling_env())

    assert result.exit_code == 1, result.output
    assert f"FAIL {PRODUCTION}/{REGION}  stack {PRODUCTION_STACK}: version 0.0.1" in result.output
    assert f"fix: {DEPLOY} {PRODUCTION_STACK}" in result.output
    assert result.output.rstrip().endswith("20 passed, 1 failed")


def test_the_command_exits_0_when_every_check_passes(world, run):
    deploy_all()

    result = run("preflight", "--config", CONFIG_PATH, "--region", REGION, env=tooling_env())

    assert (result.exit_code, result.output.rstrip().splitlines()[-1]) == (0, "21 passed, 0 failed")


def test_a_single_account_config_has_nothing_to_check(run):
    result = run("preflight", "--config", REPO_ROOT / "config" / "default.toml")

    assert result.exit_code == 1
    assert "deploys every stage with the tooling stack: nothing to check" in result.output
