"""Small readers over synthesized templates shared by the IAM tests."""

import json
from typing import Any


def as_list(value: Any) -> list[Any]:
    """IAM allows a single value or a list in Action, Resource and condition values."""
    return value if isinstance(value, list) else [value]


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """Logical id -> resource, for every resource of one type."""
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def role_statements(template: dict[str, Any], role_prefix: str) -> list[dict[str, Any]]:
    """Statements of the identity policies of the role whose logical id starts with the prefix."""
    return [
        statement
        for policy in resources_of(template, "AWS::IAM::Policy").values()
        if any(role["Ref"].startswith(role_prefix) for role in policy["Properties"]["Roles"])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def trust_statements(template: dict[str, Any], role_prefix: str) -> list[dict[str, Any]]:
    """The trust statements of the one role whose logical id starts with the prefix."""
    (role,) = [r for k, r in resources_of(template, "AWS::IAM::Role").items() if k.startswith(role_prefix)]
    statements: list[dict[str, Any]] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    return statements


def text(value: Any) -> str:
    """A resource or condition value as JSON text, for pattern checks on Fn::Join parts."""
    return json.dumps(value)


def granting(statements: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """The Allow statements that name `action` exactly."""
    return [s for s in statements if s["Effect"] == "Allow" and action in as_list(s["Action"])]
