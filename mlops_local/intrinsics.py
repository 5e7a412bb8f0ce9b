"""Physical names of a template's resources and the CloudFormation intrinsics resolved against them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mlops_local.moto_server import ACCOUNT, REGION

PSEUDO = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NoValue": "",
}
_SUB = re.compile(r"\$\{([^}!]+)\}")
# Service and resource-path prefix of the ARN of each type local mode names without creating it.
_ARN_SHAPES = {
    "AWS::IAM::Role": ("iam", "role/"),
    "AWS::IAM::ManagedPolicy": ("iam", "policy/"),
    "AWS::Lambda::Function": ("lambda", "function:"),
    "AWS::SQS::Queue": ("sqs", ""),
    "AWS::CodePipeline::Pipeline": ("codepipeline", ""),
    "AWS::Lambda::LayerVersion": ("lambda", "layer:"),
}


@dataclass
class ResourceMap:
    """Logical ID → physical name (what Ref returns) and attributes (what Fn::GetAtt returns)."""

    stack_name: str
    physical: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    account: str = ACCOUNT  # the stack's account: AWS::AccountId and the ARNs of named resources

    def name_for(self, logical_id: str, limit: int = 63) -> str:
        """A deterministic physical name in CloudFormation's `<stack>-<logical id>` style."""
        return f"{self.stack_name}-{logical_id}"[:limit]

    def add(self, logical_id: str, ref: str, **attributes: str) -> None:
        """Record a created resource."""
        self.physical[logical_id] = ref
        for name, value in attributes.items():
            self.attributes[(logical_id, name)] = value

    def add_named(self, logical_id: str, resource_type: str, name: str | None = None) -> None:
        """Record a resource local mode does not create: its template name (else one made up) and an
        ARN-shaped Arn attribute."""
        name = name or self.name_for(logical_id)
        service, path = _ARN_SHAPES.get(resource_type, ("local", ""))
        scope = "" if service == "iam" else REGION
        arn = f"arn:aws:{service}:{scope}:{self.account}:{path}{name}"
        # A managed policy's Ref is its ARN (a permissions boundary in the endpoint blueprint's parameters).
        self.add(logical_id, arn if resource_type == "AWS::IAM::ManagedPolicy" else name, Arn=arn)

    def ref(self, name: str) -> str:
        """What `Ref` returns for a logical ID or pseudo parameter."""
        if name == "AWS::AccountId":
            return self.account
        if name in PSEUDO:
            return PSEUDO[name]
        if name == "AWS::StackName":
            return self.stack_name
        return self.physical[name]

    def get_att(self, logical_id: str, attribute: str) -> str:
        """What `Fn::GetAtt` returns."""
        return self.attributes[(logical_id, attribute)]

    def resolve(self, value: Any) -> Any:
        """Resolve Ref, Fn::GetAtt, Fn::Join and Fn::Sub anywhere inside `value`."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(argument)
            if key == "Fn::GetAtt":
                return self.get_att(*argument)
            if key == "Fn::Join":
                return str(argument[0]).join(str(self.resolve(part)) for part in argument[1])
            if key in _FUNCTIONS:
                return _FUNCTIONS[key](self, argument)
        return {key: self.resolve(item) for key, item in value.items()}

    def substitute(self, argument: str | list[Any]) -> str:
        """Fn::Sub in both forms: a string, or [string, {name: value}]."""
        text, names = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
        local = {name: str(self.resolve(value)) for name, value in names.items()}
        return _SUB.sub(lambda match: local.get(match.group(1)) or self._sub_name(match.group(1)), text)

    def condition(self, value: Any, conditions: dict[str, Any]) -> bool:
        """Evaluate a template condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)."""
        if isinstance(value, dict) and len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Condition":
                return self.condition(conditions[argument], conditions)
            if key == "Fn::Equals":
                return bool(str(self.resolve(argument[0])) == str(self.resolve(argument[1])))
            if key == "Fn::Not":
                return not self.condition(argument[0], conditions)
            if key in ("Fn::And", "Fn::Or"):
                results = [self.condition(item, conditions) for item in argument]
                return all(results) if key == "Fn::And" else any(results)
        raise ValueError(f"unsupported condition {value!r}")

    def _sub_name(self, name: str) -> str:
        """A `${Name}` or `${Name.Attribute}` of Fn::Sub."""
        if "." in name and name not in PSEUDO:
            logical_id, attribute = name.split(".", 1)
            return self.get_att(logical_id, attribute)
        return self.ref(name)


_FUNCTIONS: dict[str, Any] = {
    "Fn::Sub": ResourceMap.substitute,
    "Fn::Select": lambda rm, arg: rm.resolve(arg[1])[int(rm.resolve(arg[0]))],
    "Fn::Split": lambda rm, arg: str(rm.resolve(arg[1])).split(arg[0]),
}
