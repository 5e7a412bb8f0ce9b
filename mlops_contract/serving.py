"""What the blueprint and the model package tell a serving container, in one place (no manifest imports).

Script-mode serving containers (scikit-learn) import the entry point the model names in its environment;
it is packed under code/ in the archive, which SageMaker extracts to /opt/ml/model.
"""

SERVING_CODE_DIRECTORY = "/opt/ml/model/code"
PROGRAM_VARIABLE = "SAGEMAKER_PROGRAM"
CODE_DIRECTORY_VARIABLE = "SAGEMAKER_SUBMIT_DIRECTORY"


def serving_environment(program: str) -> dict[str, str]:
    """The container environment that names a script-mode entry point."""
    return {PROGRAM_VARIABLE: program, CODE_DIRECTORY_VARIABLE: SERVING_CODE_DIRECTORY}


# What the endpoint blueprint can set in a container's environment today: the entry point (its
# ServingProgram parameter) and the fixed code directory. A manifest asking for any other variable is
# refused (mlops_manifest.environment) rather than deployed without it; widen this set only together with
# a blueprint parameter that passes the variable.
BLUEPRINT_VARIABLES = frozenset({PROGRAM_VARIABLE, CODE_DIRECTORY_VARIABLE})
