"""Every trust and resource policy of the multi-account example names only configured accounts' roles."""

import re
from collections.abc import Iterator
from typing import Any

from mlops_audit.cross_account import aws_principals, policy_statements
from mlops_config.targets import pipeline_role_name, stage_accounts

ROLE_ARN = re.compile(r"^arn:aws:iam::(\d{12}):role/[\w+=,.@-]+$")
ROOT_ARN = re.compile(r"^arn:aws:iam::(\d{12}):root$")


def _allowed_principals(app) -> Iterator[tuple[str, str, Any, dict[str, Any]]]:
    for stack, template in app.templates().items():
        for logical_id, resource in template["Resources"].items():
            for statement in policy_statements(resource):
                if statement.get("Effect") == "Allow":
                    for principal in aws_principals(statement):
                        yield stack, logical_id, principal, statement


def _only_model_roles_of(account: str, statement: dict[str, Any], config: Any) -> bool:
    """The statement lets the account in only as roles under its stages' per-model paths."""
    patterns = statement.get("Condition", {}).get("ArnLike", {}).get("aws:PrincipalArn", [])
    allowed = {f"arn:aws:iam::{s.account}:role/mlops/{s.name}/*" for s in config.stages}
    own = [p for p in patterns if p.startswith(f"arn:aws:iam::{account}:")]
    return (
        bool(own)
        and set(patterns) <= allowed
        and len(statement["Condition"]) == 1 + ("StringEquals" in statement["Condition"])
    )


def test_every_allowed_principal_is_a_role_of_a_configured_account_or_the_keys_own_root(multi_account_app):
    config = multi_account_app.config
    configured = {config.environment.account, *stage_accounts(config)}
    found = list(_allowed_principals(multi_account_app))
    assert len(found) > 10

    for stack, logical_id, principal, statement in found:
        if not isinstance(principal, str):  # a reference to a role of the same stack or account
            continue
        where = f"{stack}/{logical_id}: {principal}"
        own_account = multi_account_app.environments[stack].split("/")[2]
        root = ROOT_ARN.match(principal)
        if root and root.group(1) != own_account:  # a stage account, narrowed to its per-model roles
            assert _only_model_roles_of(root.group(1), statement, config), where
            continue
        if root:  # only a key's administration by its own account, as every KMS key policy has it
            assert statement["Action"] == "kms:*", where
            continue
        role = ROLE_ARN.match(principal)
        assert role and role.group(1) in configured, where


def test_stage_deploy_roles_trust_the_tooling_pipelines_role_and_nothing_else(multi_account_app):
    config = multi_account_app.config
    pipeline_role = f"arn:aws:iam::{config.environment.account}:role/{pipeline_role_name(config)}"
    deploy_roles = [
        (stack, logical_id, resource)
        for stack, template in multi_account_app.templates().items()
        if "-Stage-" in stack
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::IAM::Role" and "RolesDeploy" in logical_id
    ]
    assert len(deploy_roles) == len(config.stages)

    for stack, logical_id, resource in deploy_roles:
        (statement,) = resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"AWS": pipeline_role}, f"{stack}/{logical_id}"


def test_the_tooling_bus_accepts_events_only_from_the_stage_accounts_forwarding_roles(multi_account_app):
    tooling = multi_account_app.template(f"{multi_account_app.config.project_name}-Tooling")
    policies = [
        r["Properties"] for r in tooling["Resources"].values() if r["Type"] == "AWS::Events::EventBusPolicy"
    ]
    principals = sorted(p["Statement"]["Principal"]["AWS"] for p in policies)

    # One forwarding role per target stack: the pre-production account has one in each of its regions.
    assert [ROLE_ARN.match(p).group(1) for p in principals] == [
        "222222222222",
        "222222222222",
        "333333333333",
    ]
    assert all("forwarding" in p for p in principals)
    assert all(p["Statement"]["Action"] == "events:PutEvents" for p in policies)


def test_report_reader_roles_trust_only_the_configured_readers_and_only_read(multi_account_app):
    readers = list(multi_account_app.config.environment.report_readers)
    assert readers
    for account in ("222222222222", "333333333333"):
        template = multi_account_app.template(f"MlopsOrchestrator-Stage-{account}-eu-west-1")
        resources = template["Resources"]
        (role_id,) = [
            k for k, r in resources.items() if r["Type"] == "AWS::IAM::Role" and "ReportReader" in k
        ]
        (statement,) = resources[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        (policy,) = [
            r["Properties"]["PolicyDocument"]
            for r in resources.values()
            if r["Type"] == "AWS::IAM::Policy" and r["Properties"]["Roles"] == [{"Ref": role_id}]
        ]
        actions = {
            a
            for s in policy["Statement"]
            for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        }

        assert statement["Principal"] == {"AWS": readers[0] if len(readers) == 1 else readers}
        assert actions == {"s3:GetObject", "s3:ListBucket", "kms:Decrypt", "sagemaker:DescribeEndpoint"}


def test_built_images_are_pulled_by_every_stages_model_roles_and_nobody_else(multi_account_app):
    tooling = multi_account_app.template("MlopsOrchestrator-Tooling")["Resources"]
    (repository,) = [r["Properties"] for r in tooling.values() if r["Type"] == "AWS::ECR::Repository"]
    batch, statement = repository["RepositoryPolicyText"]["Statement"]
    # Beside them only production's batch role, by its ARN (tests/infra/multi_account/test_batch.py)
    assert batch["Sid"] == "BatchTransformPull"
    assert batch["Principal"]["AWS"].startswith("arn:aws:iam::333333333333:role/")

    # The per-model roles do not exist when this policy is written: the stage accounts, narrowed to the
    # paths only each stage's CloudFormation role can create roles under.
    assert sorted(statement["Principal"]["AWS"]) == [
        "arn:aws:iam::222222222222:root",
        "arn:aws:iam::333333333333:root",
    ]
    assert statement["Condition"] == {
        "ArnLike": {
            "aws:PrincipalArn": [
                "arn:aws:iam::222222222222:role/mlops/qa/*",
                "arn:aws:iam::222222222222:role/mlops/staging/*",
                "arn:aws:iam::333333333333:role/mlops/production/*",
            ]
        }
    }
    assert sorted(statement["Action"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]
