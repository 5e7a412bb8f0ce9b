"""What a deployed endpoint blueprint means locally: its endpoint's name and its schedules' inputs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mlops_local.intrinsics import ResourceMap


@dataclass(frozen=True)
class DeployedEndpoint:
    """An endpoint stack as CloudFormation would have created it."""

    stack: str
    endpoint_name: str
    parameters: dict[str, str]
    drift_input: dict[str, Any] | None  # the drift schedule's Target.Input, when the stack has one
    quality_input: dict[str, Any] | None = None  # the model-quality schedule's, when the stack has one


def _of_type(template: dict[str, Any], resource_type: str) -> list[tuple[str, dict[str, Any]]]:
    return [(k, r) for k, r in template["Resources"].items() if r["Type"] == resource_type]


def parameter_values(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    """Every parameter's value: the override, else the template's default."""
    declared = template.get("Parameters", {})
    defaults = {name: str(spec["Default"]) for name, spec in declared.items() if "Default" in spec}
    return {**defaults, **{name: value for name, value in overrides.items() if name in declared}}


def describe(stack: str, template: dict[str, Any], overrides: dict[str, str]) -> DeployedEndpoint:
    """Resolve the endpoint name and the schedule input against the stack's parameter values.

    moto's CloudFormation ignores AWS::SageMaker::Endpoint's EndpointName (it generates one) and skips
    AWS::Scheduler::Schedule, so both are read from the template the way CloudFormation would.
    """
    parameters = parameter_values(template, overrides)
    resources = ResourceMap(stack, physical=dict(parameters))
    (endpoint_id, endpoint), *_ = _of_type(template, "AWS::SageMaker::Endpoint")
    name = str(resources.resolve(endpoint["Properties"]["EndpointName"]))
    resources.add(endpoint_id, name, EndpointName=name)
    inputs = _schedule_inputs(template, resources)
    return DeployedEndpoint(
        stack,
        name,
        parameters,
        inputs.get("DriftCheckFunctionArn"),
        inputs.get("QualityCheckFunctionArn"),
    )


def _schedule_inputs(template: dict[str, Any], resources: ResourceMap) -> dict[str, dict[str, Any]]:
    """Each created schedule's JSON input, by the parameter naming the function it invokes."""
    conditions, found = template.get("Conditions", {}), {}
    for _, schedule in _of_type(template, "AWS::Scheduler::Schedule"):
        condition = schedule.get("Condition")
        if condition and not resources.condition({"Condition": condition}, conditions):
            continue  # CloudFormation would not create it
        target = schedule["Properties"]["Target"]
        if isinstance(target.get("Arn"), dict) and "Ref" in target["Arn"]:
            found[str(target["Arn"]["Ref"])] = json.loads(resources.resolve(target["Input"]))
    return found
