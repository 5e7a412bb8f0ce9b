"""The IAM policies of a synthesized template as plain JSON, intrinsic functions replaced by example values.

IAM scanners read literal ARNs, not CloudFormation intrinsics: references are rendered as the ARNs and
names the resources would have in an example account, so a scanner can check each resource's format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

PARTITION, REGION, ACCOUNT = "aws", "us-east-1", "111122223333"
_PSEUDO = {
    "AWS::Partition": PARTITION,
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "example-stack",
    "AWS::StackId": f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT}:stack/example-stack/id",
}
_NO_VALUE = object()
# Example values of blueprint parameters without a default that policies take apart with Fn::Split.
_EXAMPLE_PARAMETERS = {
    "ModelDataUrl": f"s3://example-registry/artifacts/sha256/{'0' * 64}/model.tar.gz",
    "DataCaptureS3Uri": "s3://example-capture/capture",
    "AsyncOutputS3Uri": "s3://example-capture/async-output/staging/example-model",
    "ImageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/example-model:1.0",
}
# (Ref value, Arn value) per resource type; {n} is a name derived from the logical id.
_SHAPES: dict[str, tuple[str, str]] = {
    "AWS::S3::Bucket": ("{n}", "arn:{p}:s3:::{n}"),
    "AWS::IAM::Role": ("{n}", "arn:{p}:iam::{a}:role/{n}"),
    "AWS::IAM::ManagedPolicy": ("arn:{p}:iam::{a}:policy/{n}", "arn:{p}:iam::{a}:policy/{n}"),
    "AWS::KMS::Key": ("{n}", "arn:{p}:kms:{r}:{a}:key/{n}"),
    "AWS::Lambda::Function": ("{n}", "arn:{p}:lambda:{r}:{a}:function:{n}"),
    "AWS::Lambda::LayerVersion": ("arn:{p}:lambda:{r}:{a}:layer:{n}:1", "arn:{p}:lambda:{r}:{a}:layer:{n}:1"),
    "AWS::SNS::Topic": ("arn:{p}:sns:{r}:{a}:{n}", "arn:{p}:sns:{r}:{a}:{n}"),
    "AWS::SQS::Queue": ("https://sqs.{r}.amazonaws.com/{a}/{n}", "arn:{p}:sqs:{r}:{a}:{n}"),
    "AWS::CodePipeline::Pipeline": ("{n}", "arn:{p}:codepipeline:{r}:{a}:{n}"),
    "AWS::Events::EventBus": ("{n}", "arn:{p}:events:{r}:{a}:event-bus/{n}"),
    "AWS::Events::Rule": ("{n}", "arn:{p}:events:{r}:{a}:rule/{n}"),
    "AWS::DynamoDB::Table": ("{n}", "arn:{p}:dynamodb:{r}:{a}:table/{n}"),
    "AWS::StepFunctions::StateMachine": (
        "arn:{p}:states:{r}:{a}:stateMachine:{n}",
        "arn:{p}:states:{r}:{a}:stateMachine:{n}",
    ),
    "AWS::Logs::LogGroup": ("{n}", "arn:{p}:logs:{r}:{a}:log-group:{n}:*"),
}


class PolicyKind(Enum):
    """Where a policy sits: on an identity, in a role's trust, or on a resource."""

    IDENTITY = "identity"
    TRUST = "trust"
    RESOURCE = "resource"


@dataclass(frozen=True)
class TemplatePolicy:
    """One policy document of one template resource."""

    template: str
    resource: str  # logical id
    kind: PolicyKind
    document: dict[str, Any]


def template_policies(name: str, template: Mapping[str, Any]) -> Iterator[TemplatePolicy]:
    """Every identity, trust and resource policy in the template, resolved to plain JSON."""
    resolver = _Resolver(template)
    for logical_id, resource in (template.get("Resources") or {}).items():
        properties = resource.get("Properties") or {}
        for kind, document in _documents(resource.get("Type", ""), properties):
            resolved = resolver.resolve(document)
            if kind is PolicyKind.TRUST or resource.get("Type") == "AWS::KMS::Key":
                # A trust policy governs its role, a key policy ("*") its key: name them as the resource.
                resolved = _on_resource(resolved, resolver.resolve({"Fn::GetAtt": [logical_id, "Arn"]}))
            yield TemplatePolicy(name, logical_id, kind, resolved)


def _on_resource(document: dict[str, Any], arn: str) -> dict[str, Any]:
    statements = document.get("Statement") or []
    statements = statements if isinstance(statements, list) else [statements]
    return {**document, "Statement": [{**s, "Resource": arn} for s in statements]}


def _documents(kind: str, properties: Mapping[str, Any]) -> Iterator[tuple[PolicyKind, Any]]:
    if kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        yield PolicyKind.IDENTITY, properties["PolicyDocument"]
    elif kind == "AWS::IAM::Role":
        yield PolicyKind.TRUST, properties["AssumeRolePolicyDocument"]
        for inline in properties.get("Policies") or []:
            yield PolicyKind.IDENTITY, inline["PolicyDocument"]
    elif kind == "AWS::KMS::Key" and "KeyPolicy" in properties:
        yield PolicyKind.RESOURCE, properties["KeyPolicy"]
    elif kind.endswith(("::BucketPolicy", "::TopicPolicy", "::QueuePolicy")):
        yield PolicyKind.RESOURCE, properties["PolicyDocument"]


class _Resolver:
    """Replaces intrinsic functions with the values they would take in the example account."""

    def __init__(self, template: Mapping[str, Any]) -> None:
        self._resources = template.get("Resources") or {}
        self._parameters = template.get("Parameters") or {}
        self._mappings = template.get("Mappings") or {}

    def resolve(self, value: Any) -> Any:
        """`value` with every intrinsic function replaced; AWS::NoValue entries removed."""
        if isinstance(value, list):
            return [r for r in (self.resolve(v) for v in value) if r is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Ref" or function.startswith("Fn::"):
                return self._intrinsic(function, argument)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _intrinsic(self, function: str, argument: Any) -> Any:
        if function == "Ref":
            return self._ref(argument)
        if function == "Fn::GetAtt":
            logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self._attribute(logical_id, attribute)
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(str(p) for p in self.resolve(parts))
        if function == "Fn::Sub":
            return self._sub(argument)
        if function == "Fn::Select":
            index, items = self.resolve(argument)
            return items[int(index)]
        if function == "Fn::Split":
            separator, text = self.resolve(argument)
            return str(text).split(separator)
        if function == "Fn::FindInMap":
            mapping, key, name = self.resolve(argument)
            return self._mappings[mapping][key][name]
        if function == "Fn::If":
            return self.resolve(argument[1])  # the configured branch; scanners see the fuller case
        return f"{function.removeprefix('Fn::')}-value"

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in self._parameters:
            example = _EXAMPLE_PARAMETERS.get(name, f"parameter-{name.lower()}")
            return str(self._parameters[name].get("Default", example))
        return self._shape(name, 0)

    def _attribute(self, logical_id: str, attribute: str) -> str:
        if attribute in ("Arn", "TopicArn"):
            return self._shape(logical_id, 1)
        return self._shape(logical_id, 0)

    def _shape(self, logical_id: str, which: int) -> str:
        kind = (self._resources.get(logical_id) or {}).get("Type", "")
        service = kind.split("::")[1].lower() if kind.count("::") == 2 else "unknown"
        shapes = _SHAPES.get(kind, ("{n}", f"arn:{{p}}:{service}:{{r}}:{{a}}:{{n}}"))
        name = re.sub(r"[^a-z0-9-]", "", logical_id.lower())[:63]
        return shapes[which].format(n=name, p=PARTITION, r=REGION, a=ACCOUNT)

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        values = {k: self.resolve(v) for k, v in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return str(values[name])
            if "." in name:
                return self._attribute(*name.split(".", 1))
            return str(self._ref(name))

        return re.sub(r"\$\{([^}!]+)\}", replace, text)
