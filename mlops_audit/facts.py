"""Facts an auditor asks of a synthesized template: resources, acknowledgements, IAM grants, encryption."""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlops_constructs.cfn_text import cfn_text

Template = dict[str, Any]


@dataclass(frozen=True)
class Acknowledgement:
    """A compliance finding accepted on one resource, with its reason."""

    tool: str
    resource: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Grant:
    """One Allow statement of a role: actions on resources."""

    role: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]


@dataclass(frozen=True)
class EncryptionStatus:
    """How one data-holding resource is encrypted at rest."""

    resource: str
    resource_type: str
    encryption: str


def resource_counts(template: Template) -> Counter[str]:
    """Number of resources of each CloudFormation type."""
    return Counter(resource["Type"] for resource in template.get("Resources", {}).values())


def acknowledgements(template: Template) -> list[Acknowledgement]:
    """cdk-nag acknowledgements and checkov skips recorded in resource metadata."""
    found = []
    for logical_id, resource in template.get("Resources", {}).items():
        metadata = resource.get("Metadata", {})
        for rule in metadata.get("cdk_nag", {}).get("rules_to_suppress", []):
            found.append(Acknowledgement("cdk-nag", logical_id, rule["id"], rule["reason"]))
        for skip in metadata.get("checkov", {}).get("skip", []):
            found.append(Acknowledgement("checkov", logical_id, skip["id"], skip["comment"]))
    return found


def role_grants(template: Template) -> list[Grant]:
    """Every Allow statement that reaches a role, inline or through an attached AWS::IAM::Policy."""
    resources = template.get("Resources", {})
    grants = []
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::IAM::Role":
            for policy in resource["Properties"].get("Policies", []):
                grants += _statements(logical_id, policy["PolicyDocument"])
            for arn in resource["Properties"].get("ManagedPolicyArns", []):
                grants.append(Grant(logical_id, ("managed policy",), (_render(arn),)))
        elif resource["Type"] == "AWS::IAM::Policy":
            for role in resource["Properties"].get("Roles", []):
                name = role.get("Ref", _render(role)) if isinstance(role, dict) else role  # imported by name
                grants += _statements(name, resource["Properties"]["PolicyDocument"])
    return grants


def _statements(role: str, document: dict[str, Any]) -> list[Grant]:
    return [
        Grant(
            role,
            _as_tuple(statement.get("Action")),
            tuple(_render(r) for r in _as_list(statement.get("Resource"))),
        )
        for statement in document.get("Statement", [])
        if statement.get("Effect") == "Allow"
    ]


def encryption_statuses(template: Template) -> list[EncryptionStatus]:
    """Encryption at rest of every bucket, topic, queue, log group and table."""
    describe: dict[str, Callable[[dict[str, Any]], str]] = {
        "AWS::S3::Bucket": _bucket_encryption,
        "AWS::SNS::Topic": lambda p: _key_or_none(p.get("KmsMasterKeyId")),
        "AWS::SQS::Queue": lambda p: _key_or_none(
            p.get("KmsMasterKeyId"), "SQS-managed" if p.get("SqsManagedSseEnabled") else None
        ),
        "AWS::Logs::LogGroup": lambda p: _key_or_none(p.get("KmsKeyId"), "CloudWatch Logs default"),
        "AWS::DynamoDB::Table": lambda p: _key_or_none(
            p.get("SSESpecification", {}).get("KMSMasterKeyId"), "AWS owned key"
        ),
    }
    return [
        EncryptionStatus(
            logical_id, resource["Type"], describe[resource["Type"]](resource.get("Properties", {}))
        )
        for logical_id, resource in template.get("Resources", {}).items()
        if resource["Type"] in describe
    ]


def _bucket_encryption(properties: dict[str, Any]) -> str:
    rules = properties.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    if not rules:
        return "SSE-S3 (S3 default)"
    default = rules[0]["ServerSideEncryptionByDefault"]
    if default["SSEAlgorithm"] == "AES256":
        return "SSE-S3"
    return f"SSE-KMS with {_render(default.get('KMSMasterKeyID', 'aws/s3'))}"


def _key_or_none(key: Any, fallback: str | None = None) -> str:
    if key is not None:
        return f"KMS with {_render(key)}"
    return fallback or "NOT ENCRYPTED"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _as_tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in _as_list(value))


def _render(value: Any) -> str:
    """A short, readable form of a CloudFormation value (intrinsic functions included)."""
    return cfn_text(
        value, reference=lambda name: f"${{{name}}}", other=lambda v: json.dumps(v, sort_keys=True)
    )
