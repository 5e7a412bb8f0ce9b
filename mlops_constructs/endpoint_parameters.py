"""EndpointParameters: the CloudFormation parameters the pipeline passes to the endpoint blueprint."""

from typing import Any

from aws_cdk import CfnCondition, CfnParameter, Fn
from constructs import Construct

from mlops_contract.blueprint_parameters import parameter_specs
from mlops_contract.pipeline import NONE
from mlops_manifest.inference import InferenceType


class EndpointParameters(Construct):
    """Declares the blueprint's parameters (logical IDs are the names the pipeline passes) and conditions."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        inference_type: InferenceType,
        model_monitor: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.inference_type = inference_type  # the endpoint kind these parameters were declared for
        specs = parameter_specs(inference_type, model_monitor=model_monitor)
        self._parameters = {name: self._declare(name, spec) for name, spec in specs.items()}
        self._conditions: dict[str, CfnCondition] = {}

    @property
    def names(self) -> list[str]:
        """Every parameter name of this blueprint."""
        return list(self._parameters)

    def text(self, name: str) -> str:
        """The parameter's value as a string token."""
        return self._parameters[name].value_as_string

    def number(self, name: str) -> float:
        """The parameter's value as a number token."""
        return self._parameters[name].value_as_number

    def values(self, name: str) -> list[str]:
        """A CommaDelimitedList parameter's value."""
        return self._parameters[name].value_as_list

    def is_true(self, name: str) -> CfnCondition:
        """A condition that is true when a true/false parameter is "true"."""
        return self.condition(f"{name}IsTrue", Fn.condition_equals(self.text(name), "true"))

    def is_set(self, name: str) -> CfnCondition:
        """A condition that is true when an optional parameter is neither empty nor the pipeline's "none"."""
        value = Fn.join("", self.values(name)) if "List" in self._parameters[name].type else self.text(name)
        unset = Fn.condition_or(Fn.condition_equals(value, ""), Fn.condition_equals(value, NONE))
        return self.condition(f"Has{name}", Fn.condition_not(unset))

    def equals(self, name: str, value: str) -> CfnCondition:
        """A condition that is true when the parameter equals `value`."""
        return self.condition(
            f"{name}Is{value.title().replace('_', '')}", Fn.condition_equals(self.text(name), value)
        )

    def condition(self, logical_id: str, expression: Any) -> CfnCondition:
        """A named condition, declared once."""
        if logical_id not in self._conditions:
            condition = CfnCondition(self, logical_id, expression=expression)
            condition.override_logical_id(logical_id)
            self._conditions[logical_id] = condition
        return self._conditions[logical_id]

    def _declare(self, name: str, spec: dict[str, Any]) -> CfnParameter:
        parameter = CfnParameter(self, name, **{"type": "String", **spec})
        parameter.override_logical_id(name)
        return parameter
