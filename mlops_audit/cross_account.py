"""Every policy that lets a principal of another account in: role trust and resource policies, by stack."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):")
_RESOURCE_POLICIES = {
    "AWS::KMS::Key": "KeyPolicy",
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::ECR::Repository": "RepositoryPolicyText",
}


@dataclass(frozen=True)
class CrossAccountGrant:
    """One principal of another account allowed in by one statement of one resource."""

    stack: str
    resource: str
    kind: str
    principal: str
    actions: tuple[str, ...]


def policy_statements(resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The statements of a resource's trust or resource policy (Lambda permissions as one statement)."""
    properties, kind = resource.get("Properties", {}), resource["Type"]
    if kind == "AWS::IAM::Role":
        yield from properties["AssumeRolePolicyDocument"]["Statement"]
    elif kind in _RESOURCE_POLICIES:
        yield from properties.get(_RESOURCE_POLICIES[kind], {}).get("Statement", [])
    elif kind == "AWS::Events::EventBusPolicy":
        yield properties["Statement"]
    elif kind == "AWS::Lambda::Permission":
        principal = properties["Principal"]
        service = isinstance(principal, str) and principal.endswith(".amazonaws.com")
        yield {
            "Effect": "Allow",
            "Action": properties["Action"],
            "Principal": {"Service" if service else "AWS": principal},
        }


def aws_principals(statement: dict[str, Any]) -> list[Any]:
    """The statement's AWS principals ("*" for an anonymous principal); references stay as they are."""
    principal = statement.get("Principal", {})
    if principal == "*":
        return ["*"]
    values = principal.get("AWS", []) if isinstance(principal, dict) else []
    return values if isinstance(values, list) else [values]


def cross_account_grants(assembly: Path) -> list[CrossAccountGrant]:
    """Allow statements naming a principal of an account other than their stack's, over the assembly."""
    manifest = json.loads((assembly / "manifest.json").read_text(encoding="utf-8"))
    grants = []
    for artifact in manifest["artifacts"].values():
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        account = artifact["environment"].split("/")[2]
        template_file = artifact["properties"]["templateFile"]
        template = json.loads((assembly / template_file).read_text(encoding="utf-8"))
        stack = template_file.removesuffix(".template.json")
        grants += _grants(stack, account, template)
    return grants


def _grants(stack: str, account: str, template: dict[str, Any]) -> list[CrossAccountGrant]:
    found = []
    for logical_id, resource in template.get("Resources", {}).items():
        for statement in policy_statements(resource):
            if statement.get("Effect") != "Allow":
                continue
            actions = statement.get("Action", [])
            actions = tuple(actions if isinstance(actions, list) else [actions])
            narrowed = _principal_arns(statement)
            for principal in aws_principals(statement):
                match = _ACCOUNT.match(principal) if isinstance(principal, str) else None
                if match and match.group(1) != account:
                    shown = f"{principal}` only `{narrowed}" if narrowed else principal
                    found.append(CrossAccountGrant(stack, logical_id, resource["Type"], shown, actions))
    return found


def _principal_arns(statement: dict[str, Any]) -> str:
    """The principal ARN patterns an account principal is narrowed to (roles not yet created), if any."""
    patterns = statement.get("Condition", {}).get("ArnLike", {}).get("aws:PrincipalArn", [])
    return ", ".join(patterns if isinstance(patterns, list) else [patterns])


def report_lines(grants: list[CrossAccountGrant]) -> list[str]:
    """The report section: every cross-account grant, or a sentence saying there is none."""
    lines = ["## Cross-account access", ""]
    if not grants:
        return [*lines, "No trust or resource policy names a principal of another account.", ""]
    lines += ["| stack | resource | type | principal | actions |", "|---|---|---|---|---|"]
    for g in grants:
        lines.append(f"| {g.stack} | {g.resource} | {g.kind} | `{g.principal}` | {', '.join(g.actions)} |")
    return [*lines, ""]
