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
