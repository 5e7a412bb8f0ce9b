"""A small IAM decision over resolved identity statements: explicit deny wins, then any allow.

Enough of IAM's evaluation for the operators this project's policies use; any other operator, or
NotAction/NotResource, fails the test instead of being guessed.
"""

from fnmatch import fnmatchcase
from typing import Any

from mlops_audit.iam_policies import PolicyKind, template_policies

Statement = dict[str, Any]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(patterns: Any, value: str, *, case: bool = True) -> bool:
    if case:
        return any(fnmatchcase(value, str(p)) for p in _listed(patterns))
    return any(fnmatchcase(value.lower(), str(p).lower()) for p in _listed(patterns))


def _holds(operator: str, expected: list[Any], actual: str | None) -> bool:
    if operator in ("StringEquals", "ArnEquals"):
        return actual is not None and actual in expected
    if operator in ("StringNotEquals", "ArnNotEquals"):  # true when the key is absent
        return actual is None or actual not in expected
    if operator in ("StringLike", "ArnLike"):
        return actual is not None and _matches(expected, actual)
    if operator == "StringEqualsIfExists":
        return actual is None or actual in expected
    if operator == "Null":
        return (actual is None) == (str(expected[0]).lower() == "true")
    if operator == "Bool":
        return actual is not None and actual.lower() == str(expected[0]).lower()
    raise NotImplementedError(operator)


def _applies(statement: Statement, action: str, resource: str, context: dict[str, str]) -> bool:
    if "NotAction" in statement or "NotResource" in statement:
        raise NotImplementedError("NotAction/NotResource")
    if not _matches(statement["Action"], action, case=False) or not _matches(statement["Resource"], resource):
        return False
    return all(
        _holds(operator, _listed(expected), context.get(key))
        for operator, pairs in statement.get("Condition", {}).items()
        for key, expected in pairs.items()
    )


def allowed(statements: list[Statement], action: str, resource: str, **context: str) -> bool:
    """Whether the identity statements allow the request (no resource policy, no boundary)."""
    matched = [s for s in statements if _applies(s, action, resource, context)]
    return not any(s["Effect"] == "Deny" for s in matched) and any(s["Effect"] == "Allow" for s in matched)


def role_statements(name: str, template: dict[str, Any], role_prefix: str) -> list[Statement]:
    """The resolved identity statements (example account, region, names) of the role with this prefix."""
    resources = template["Resources"]
    found: list[Statement] = []
    for policy in template_policies(name, template):
        roles = resources[policy.resource]["Properties"].get("Roles", [])
        if policy.kind is PolicyKind.IDENTITY and any(r["Ref"].startswith(role_prefix) for r in roles):
            found += _listed(policy.document["Statement"])
    return found


def managed_policy_arn(name: str, template: dict[str, Any], prefix: str) -> str:
    """The resolved ARN of the one managed policy whose logical id starts with the prefix."""
    (logical_id,) = [
        k
        for k, r in template["Resources"].items()
        if k.startswith(prefix) and r["Type"] == "AWS::IAM::ManagedPolicy"
    ]
    return _arn_of(name, template, logical_id)


def _arn_of(name: str, template: dict[str, Any], logical_id: str) -> str:
    probe = {**template, "Resources": {**template["Resources"], "Probe": _probe(logical_id)}}
    for policy in template_policies(name, probe):
        if policy.resource == "Probe":
            return str(policy.document["Statement"][0]["Resource"])
    raise AssertionError(logical_id)


def _probe(logical_id: str) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Action": "iam:GetPolicy", "Resource": {"Ref": logical_id}}
    return {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [statement]}}}
