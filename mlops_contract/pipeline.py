"""Names the pipelines, the blueprint, the pipeline functions and local mode must agree on."""

from mlops_contract.serving import CONTAINER_PARAMETERS, PROGRAM_PARAMETER, UNSET
from mlops_manifest.inference import InferenceType

# Inference types deployed as an endpoint by a pipeline (batch runs as a Step Functions workflow instead).
ENDPOINT_TYPES = (InferenceType.REALTIME, InferenceType.SERVERLESS, InferenceType.ASYNC)
# CodePipeline refuses empty variable values: "none" stands for "not set". It can never be a real value of
# the parameters it is used for (SNS topic ARNs, MIME content types, an S3 key under models/).
NONE = UNSET
# The endpoint is named "<ModelName>-<StageName>", at most 63 characters: 42 + 1 + 20.
MAX_MODEL_NAME_CHARS = 42
MAX_STAGE_NAME_CHARS = 20
# Endpoint stacks are named "mlops-<model>-<stage>": the stage roles may touch these stacks and no other.
ENDPOINT_STACK_PREFIX = "mlops-"
# Each endpoint stack creates its model's own SageMaker execution role under the stage's IAM path; the stage's
# CloudFormation role may create, change and pass roles under that path only.
MODEL_ROLE_ROOT = "mlops"
# The folder of the pipelines' source artifact that holds one blueprint template per endpoint type.
TEMPLATES_FOLDER = "templates"
# Action names inside each stage of a deployment pipeline.
APPROVAL_ACTION = "Approve"
RESOLVE_ACTION = "Resolve"
DEPLOY_ACTION = "Deploy"
SMOKE_TEST_ACTION = "SmokeTest"
FINALIZE_ACTION = "Finalize"
# In a stage region other than the tooling region: the artifact is copied there between Resolve and Deploy.
COPY_ACTION = "CopyArtifact"
# Pipeline variables for the pipeline's own actions (smoke test, finalize, failure reports); the two that
# the instance-backed blueprints also declare are passed to them as well.
# Comparison: the champion/challenger line of a trained version, shown in the approval request.
META_VARIABLES = (
    "ModelPackageArn",
    "ManifestBucket",
    "ManifestKey",
    "InferenceType",
    "BaselineProfileKey",
    "Comparison",
)
# Blueprint parameters that are never pipeline variables: each stage's resolve action outputs them from the
# registration record and the container environment of the execution's model package, so no caller can
# name an image, an artifact or a container variable.
RESOLVED_PARAMETERS = ("ImageUri", "ModelDataUrl", PROGRAM_PARAMETER, *CONTAINER_PARAMETERS)


def template_file_name(inference_type: InferenceType) -> str:
    """Name of a blueprint template inside the pipeline's source artifact."""
    return f"{inference_type.value}.template.json"


def pipeline_stage_name(stage: str) -> str:
    """The CodePipeline stage that deploys to a configured stage ("production" -> "Production")."""
    return stage.capitalize()


def resolve_namespace(stage: str) -> str:
    """The variable namespace of a stage's resolve action ("staging" -> "ResolveStaging")."""
    return f"{RESOLVE_ACTION}{pipeline_stage_name(stage)}"


def copy_namespace(stage: str) -> str:
    """The variable namespace of a remote-region stage's copy action ("staging" -> "CopyArtifactStaging")."""
    return f"{COPY_ACTION}{pipeline_stage_name(stage)}"


def endpoint_name(model_name: str, stage: str) -> str:
    """The SageMaker endpoint of a model in one stage."""
    return f"{model_name}-{stage}"


def endpoint_stack_name(model_name: str, stage: str) -> str:
    """The CloudFormation stack holding a model's endpoint in one stage."""
    return f"{ENDPOINT_STACK_PREFIX}{endpoint_name(model_name, stage)}"


def model_role_path(stage: str) -> str:
    """The IAM path of the per-model SageMaker roles of one stage ("staging" -> "/mlops/staging/")."""
    return f"/{MODEL_ROLE_ROOT}/{stage}/"
