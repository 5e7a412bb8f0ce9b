"""`mlops preflight`: is every stage account ready for the tooling pipelines? One finding per check.

Run with tooling credentials. Stage accounts are read through CDK's bootstrap lookup role, which a stage
account trusts when bootstrapped with `--trust-for-lookup <tooling account>`; it is read-only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from lambdas.deployment_events.forwarding import forwarded_patterns
from mlops_config import OrchestratorConfig
from mlops_config.targets import (
    COPY_ROLE_OUTPUT,
    FORWARDING_ROLE_OUTPUT,
    VERSION_OUTPUT,
    DeploymentTarget,
    Placement,
    identity_stack_name,
    pipeline_role_name,
    region_stack_name,
    remote_regions,
    remote_targets,
    stage_output,
    target_stack_name,
    tooling_stack_name,
)
from mlops_contract.pipeline import model_role_path

Clients = Callable[[str], Any]  # service name -> boto3 client
LOOKUP_ROLE = "cdk-hnb659fds-lookup-role-{account}-{region}"  # CDK's default bootstrap qualifier
_DEPLOYED = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE")


@dataclass(frozen=True)
class Finding:
    """One check: where it ran, whether it passed, what was seen, and the command that fixes a failure."""

    where: str
    check: str
    ok: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Preflight:
    """The config being checked, where it was read from, and how to reach each account."""

    config: OrchestratorConfig
    config_path: Path
    tooling: Clients
    assume: Callable[[str, str], Clients]  # (account, region) -> that account's clients; raises ClientError
    # region -> tooling clients there (the pipelines' artifact store of each other stage region)
    tooling_in: Callable[[str], Clients] | None = None

    def deploy(self, stack: str) -> str:
        """The command that deploys one stack of this config."""
        return f"npx cdk deploy -c config={self.config_path} {stack}"


def run_preflight(preflight: Preflight) -> list[Finding]:
    """Every check of the tooling account, then of each stage account."""
    config = preflight.config
    findings = list(_tooling_checks(preflight))
    for region in remote_regions(config):
        clients = preflight.tooling_in(region) if preflight.tooling_in else preflight.tooling
        stack = region_stack_name(config, region)
        findings.append(_stack_finding(preflight, clients, f"tooling/{region}", stack))
    tooling_outputs = _outputs(preflight.tooling, tooling_stack_name(config)) or {}
    for target in remote_targets(config):
        findings += _target_checks(preflight, target, tooling_outputs)
    return findings


def _tooling_checks(preflight: Preflight) -> Iterator[Finding]:
    config = preflight.config
    for stack in (identity_stack_name(config), tooling_stack_name(config)):
        yield _stack_finding(preflight, preflight.tooling, "tooling", stack)
    role = pipeline_role_name(config)
    try:
        preflight.tooling("iam").get_role(RoleName=role)
        yield Finding("tooling", "pipelines' role", True, f"{role} exists")
    except ClientError as error:
        fix = preflight.deploy(identity_stack_name(config))
        yield Finding("tooling", "pipelines' role", False, f"{role}: {_code(error)}", fix)


def _target_checks(preflight: Preflight, target: DeploymentTarget, tooling: dict[str, str]) -> list[Finding]:
    account, region = str(target.placement.account), str(target.placement.region)
    where = f"{account}/{region}"
    try:
        stage = preflight.assume(account, region)
    except ClientError as error:
        tooling_account = preflight.config.environment.account
        fix = (
            f"npx cdk bootstrap aws://{account}/{region} --trust {tooling_account} "
            f"--trust-for-lookup {tooling_account} --cloudformation-execution-policies <policy ARN>"
        )
        reason = f"cannot assume {LOOKUP_ROLE.format(account=account, region=region)}: {_code(error)}"
        return [Finding(where, "bootstrap trust", False, reason, fix)]
    findings = [Finding(where, "bootstrap trust", True, "the lookup role can be assumed")]
    stack = target_stack_name(preflight.config, target.placement)
    findings.append(_stack_finding(preflight, stage, where, stack))
    outputs = _outputs(stage, stack)
    if outputs is None:
        return findings
    for stage_config in target.stages:
        findings += _stage_checks(preflight, stage, stage_config.name, outputs, tooling)
    findings.append(_forwarding_finding(preflight, stage, target, outputs, tooling))
    return findings


def _stage_checks(
    preflight: Preflight, stage: Clients, name: str, outputs: dict[str, str], tooling: dict[str, str]
) -> list[Finding]:
    config = preflight.config
    pipeline_role = f"arn:aws:iam::{config.environment.account}:role/{pipeline_role_name(config)}"
    deploy_role = outputs.get(stage_output(name, "DeployRoleArn"), "")
    trusted = _trusted_by(stage, deploy_role)
    target_fix = preflight.deploy(target_stack_name(config, _placement_of(config, name)))
    trust = Finding(
        name,
        "pipeline may assume the deploy role",
        pipeline_role in trusted,
        f"{deploy_role or 'no deploy role output'} trusts {', '.join(trusted) or 'nobody readable'}",
        "" if pipeline_role in trusted else target_fix,
    )
    # In another region the stage's endpoints read regional copies, which its copy function makes; here,
    # per-model roles created at deploy time under the stage's path read them: the policies name that pattern.
    placement = _placement_of(config, name)
    elsewhere = placement.region != config.environment.region
    model_roles = f"arn:aws:iam::{placement.account}:role{model_role_path(name)}*"
    reader = outputs.get(COPY_ROLE_OUTPUT, "") if elsewhere else model_roles
    named = _key_and_bucket_name(preflight.tooling, tooling, reader)
    who = "copy function" if elsewhere else "model roles"
    reads = Finding(
        name,
        f"{who} may read registered artifacts",
        named,
        f"{reader or f'no {who} output'} {'is' if named else 'is not'} named in the data key and "
        "registry bucket policies",
        "" if named else preflight.deploy(tooling_stack_name(config)),
    )
    return [trust, reads]


def _forwarding_finding(
    preflight: Preflight,
    stage: Clients,
    target: DeploymentTarget,
    outputs: dict[str, str],
    tooling: dict[str, str],
) -> Finding:
    role = outputs.get(FORWARDING_ROLE_OUTPUT, "")
    bus_name = tooling.get("EventBusName", "")
    bus_policy = _policy_text(lambda: preflight.tooling("events").describe_event_bus(Name=bus_name)["Policy"])
    bus_arn = f"arn:aws:events:{preflight.config.environment.region}:{preflight.config.environment.account}"
    rules = _rules_targeting(stage, f"{bus_arn}:event-bus/{bus_name}")
    expected = len(forwarded_patterns(()))
    ok = bool(role) and role in bus_policy and len(rules) >= expected
    detail = (
        f"{len(rules)} of {expected} forwarding rules target the tooling bus; its policy "
        f"{'names' if role and role in bus_policy else 'does not name'} {role or 'the forwarding role'}"
    )
    config = preflight.config
    fixes = f"{preflight.deploy(target_stack_name(config, target.placement))}, then "
    fix = "" if ok else fixes + preflight.deploy(tooling_stack_name(config))
    where = f"{target.placement.account}/{target.placement.region}"
    return Finding(where, "events forwarded to the tooling bus", ok, detail, fix)


def _stack_finding(preflight: Preflight, clients: Clients, where: str, stack: str) -> Finding:
    """Deployed, settled, and at this checkout's version."""
    fix = preflight.deploy(stack)
    try:
        (description,) = clients("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    except ClientError as error:
        return Finding(where, f"stack {stack}", False, f"not deployed ({_code(error)})", fix)
    status = description["StackStatus"]
    deployed = _as_outputs(description).get(VERSION_OUTPUT, "unknown")
    expected = version("mlops-orchestrator")
    if status not in _DEPLOYED:
        return Finding(where, f"stack {stack}", False, f"status {status}", fix)
    if deployed != expected:
        return Finding(where, f"stack {stack}", False, f"version {deployed}, this checkout {expected}", fix)
    return Finding(where, f"stack {stack}", True, f"{status}, version {deployed}")


def _outputs(clients: Clients, stack: str) -> dict[str, str] | None:
    try:
        (description,) = clients("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    except ClientError:
        return None
    return _as_outputs(description)


def _as_outputs(description: dict[str, Any]) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in description.get("Outputs", [])}


def _trusted_by(clients: Clients, role_arn: str) -> list[str]:
    """The AWS principals a role's trust policy names (empty when it cannot be read)."""
    try:
        document = clients("iam").get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"]
    except ClientError:
        return []
    trust = document["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    principals: list[str] = []
    for statement in trust.get("Statement", []):
        aws = statement.get("Principal", {}).get("AWS", [])
        principals += aws if isinstance(aws, list) else [aws]
    return principals


def _key_and_bucket_name(tooling: Clients, outputs: dict[str, str], role_arn: str) -> bool:
    if not role_arn:
        return False
    key = _policy_text(
        lambda: tooling("kms").get_key_policy(KeyId=outputs["DataKeyArn"], PolicyName="default")["Policy"]
    )
    bucket = _policy_text(
        lambda: tooling("s3").get_bucket_policy(Bucket=outputs["RegistryBucketName"])["Policy"]
    )
    return role_arn in key and role_arn in bucket


def _policy_text(read: Callable[[], str]) -> str:
    """A policy document as text, or "" when it is missing or unreadable."""
    try:
        return read() or ""
    except (ClientError, KeyError):
        return ""


def _rules_targeting(clients: Clients, bus_arn: str) -> list[str]:
    try:
        names: list[str] = clients("events").list_rule_names_by_target(TargetArn=bus_arn)["RuleNames"]
    except ClientError:
        return []
    return names


def _placement_of(config: OrchestratorConfig, stage: str) -> Placement:
    target = next(t for t in remote_targets(config) if stage in {s.name for s in t.stages})
    return target.placement


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "error"))
