"""What the blueprint and the model package tell a serving container, in one place (no manifest imports).

Script-mode serving containers (scikit-learn) import the entry point the model names in its environment;
it is packed under code/ in the archive, which SageMaker extracts to /opt/ml/model.

Beyond the entry point, the blueprint passes a closed list of variables (`ContainerVariable`), each through
a parameter of its own that the stage's resolve step fills from the registered package's container
environment. A model registered with any other variable is refused at registration rather than served
without it.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

SERVING_CODE_DIRECTORY = "/opt/ml/model/code"
PROGRAM_VARIABLE = "SAGEMAKER_PROGRAM"
CODE_DIRECTORY_VARIABLE = "SAGEMAKER_SUBMIT_DIRECTORY"
PROGRAM_PARAMETER = "ServingProgram"
# CodePipeline refuses empty variable values, so the resolve step passes this for "not set" (the same word
# as mlops_contract.pipeline.NONE, kept here so that this module imports nothing of the project).
UNSET = "none"
# A passed value: 1-256 printable ASCII characters without double quotes or backslashes (the pipeline puts
# it, as plain text, inside the JSON of its CloudFormation parameter overrides) and without braces: a value
# such as {{resolve:secretsmanager:...}} would be a CloudFormation dynamic reference, resolved at deploy
# into the container's environment (CloudFormation user guide, "Get values stored in other services using
# dynamic references").
VALUE_PATTERN = r"^[\x20-\x21\x23-\x5B\x5D-\x7A\x7C\x7E]{1,256}$"
VALUE_WORDS = (
    "1-256 printable ASCII characters other than double quotes, backslashes and braces "
    "(no line breaks or tabs)"
)


class ContainerVariable(Enum):
    """A container variable the blueprint can pass (name), and the blueprint parameter that passes it (value).

    The three SAGEMAKER_INFERENCE_* variables select what an Autopilot container answers (AWS SageMaker
    developer guide, "Configure inference output in generated containers",
    https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-automate-model-development-container-output.html);
    the page's container definitions also carry SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT and MAX_CONTENT_LENGTH.
    Ensembling-mode candidates name the model inside their artifact in MODEL_NAME; framework containers read
    their log level from SAGEMAKER_CONTAINER_LOG_LEVEL.
    """

    SAGEMAKER_INFERENCE_INPUT = "ContainerInferenceInput"
    SAGEMAKER_INFERENCE_OUTPUT = "ContainerInferenceOutput"
    SAGEMAKER_INFERENCE_SUPPORTED = "ContainerInferenceSupported"
    SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT = "ContainerDefaultAccept"
    MAX_CONTENT_LENGTH = "ContainerMaxContentLength"
    MODEL_NAME = "ContainerModelName"
    SAGEMAKER_CONTAINER_LOG_LEVEL = "ContainerLogLevel"

    @property
    def parameter(self) -> str:
        """The blueprint parameter (and resolve output variable) carrying this variable's value."""
        return str(self.value)


# Every name the blueprint can set in a container's environment: the entry point (ServingProgram), the fixed
# code directory beside it, and the listed variables. Widen only together with a ContainerVariable member.
_LISTED = frozenset(v.name for v in ContainerVariable)
BLUEPRINT_VARIABLES = frozenset({PROGRAM_VARIABLE, CODE_DIRECTORY_VARIABLE}) | _LISTED
CONTAINER_PARAMETERS = tuple(v.parameter for v in ContainerVariable)


def serving_environment(program: str) -> dict[str, str]:
    """The container environment that names a script-mode entry point."""
    return {PROGRAM_VARIABLE: program, CODE_DIRECTORY_VARIABLE: SERVING_CODE_DIRECTORY}


def container_environment(program: str | None, variables: Mapping[str, str]) -> dict[str, str]:
    """The whole environment a package records: the listed variables asked for, and the entry point."""
    listed = {v.name: variables[v.name] for v in ContainerVariable if v.name in variables}
    return listed | (serving_environment(program) if program else {})


def resolved_parameters(environment: Mapping[str, str]) -> dict[str, str]:
    """The blueprint parameters that pass a package's environment (UNSET for each variable it lacks)."""
    values = {PROGRAM_PARAMETER: environment.get(PROGRAM_VARIABLE) or UNSET}
    return values | {v.parameter: environment.get(v.name) or UNSET for v in ContainerVariable}


def environment_of(parameters: Mapping[str, str]) -> dict[str, str]:
    """The container environment that resolved blueprint parameters stand for (inverse of the above)."""
    program = parameters.get(PROGRAM_PARAMETER, UNSET)
    listed = {
        v.name: parameters[v.parameter]
        for v in ContainerVariable
        if parameters.get(v.parameter, UNSET) != UNSET
    }
    return container_environment(program if program != UNSET else None, listed)


def container_parameter_specs() -> dict[str, dict[str, Any]]:
    """The blueprint's parameter of each listed variable: optional, 'none' when the package lacks it."""
    return {
        v.parameter: {
            "description": f"{v.name} of the registered package's container ('{UNSET}': not set)",
            "allowed_pattern": VALUE_PATTERN,
            "constraint_description": VALUE_WORDS,
            "default": UNSET,
        }
        for v in ContainerVariable
    }
