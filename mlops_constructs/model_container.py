"""The blueprint model's container environment: each variable the registered package carries, none other."""

from typing import Any, cast

from aws_cdk import Aws, Fn, ICfnConditionExpression, Token

from mlops_constructs.endpoint_parameters import EndpointParameters
from mlops_contract.serving import (
    CODE_DIRECTORY_VARIABLE,
    PROGRAM_PARAMETER,
    PROGRAM_VARIABLE,
    SERVING_CODE_DIRECTORY,
    ContainerVariable,
)


def model_environment(parameters: EndpointParameters) -> Any:
    """Environment of the model's container: a variable per set parameter, the property omitted when none is.

    Each variable is its own Fn::If on its parameter, so a package without it deploys without it
    (AWS::NoValue drops the key); the code directory goes with the entry point.
    """
    p = parameters
    program = p.is_set(PROGRAM_PARAMETER)
    variables = {
        PROGRAM_VARIABLE: _when(program.logical_id, p.text(PROGRAM_PARAMETER)),
        CODE_DIRECTORY_VARIABLE: _when(program.logical_id, SERVING_CODE_DIRECTORY),
    }
    conditions: list[ICfnConditionExpression] = [cast(ICfnConditionExpression, program)]
    for variable in ContainerVariable:
        is_set = p.is_set(variable.parameter)
        variables[variable.name] = _when(is_set.logical_id, p.text(variable.parameter))
        conditions.append(cast(ICfnConditionExpression, is_set))  # a CfnCondition is one (jsii types lack it)
    # Fn::Or takes 2 to 10 conditions: the entry point plus seven listed variables fit in one.
    any_set = p.condition("HasContainerEnvironment", Fn.condition_or(*conditions))
    return Fn.condition_if(any_set.logical_id, variables, Aws.NO_VALUE)


def _when(condition: str, value: str) -> str:
    """The value when the condition holds, else no key at all."""
    return Token.as_string(Fn.condition_if(condition, value, Aws.NO_VALUE))
