"""The provisioning API's function: its environment and the least privilege each operation needs."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from aws_cdk import Stack
from aws_cdk import aws_codepipeline as codepipeline
from constructs import Construct

from lambdas.provisioning_api import settings
from mlops_constructs.acknowledge import iam5_arn, iam5_resource
from mlops_constructs.deployment_triggers import pipeline_names_json
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import OrchestratorFunction
from mlops_contract.pipeline import APPROVAL_ACTION
from mlops_contract.registry_layout import RECORDS_PREFIX, UPLOADERS_PREFIX
from mlops_manifest.inference import InferenceType

_REGISTRY_READS = ["models/*", "rejected/*", f"{RECORDS_PREFIX}*", f"{UPLOADERS_PREFIX}*"]
_REPORT_READS = ["drift/*", "quality/*"]
_READ_REASONS = {
    "models/*": "Signs upload URLs under models/ and reads who requested an upload (manifest metadata).",
    "rejected/*": "Reads rejection reports for a model's status.",
    f"{RECORDS_PREFIX}*": "Reads registration records (status, approvals, refusing existing versions).",
    f"{UPLOADERS_PREFIX}*": "Reads who uploaded a version (separation of duties).",
    "drift/*": "Reads each endpoint's latest drift report.",
    "quality/*": "Reads each endpoint's latest model-quality report.",
}
_PER_MODEL = "Model names are chosen by data scientists at run time; limited to this account and region."


@dataclass(frozen=True)
class ApiTargets:
    """What the API reads and drives: pipelines per endpoint type, stages, and the approval stage."""

    pipelines: Mapping[InferenceType, codepipeline.Pipeline]
    stages: tuple[str, ...]
    approval_stage: str  # the CodePipeline stage holding the production approval
    max_artifact_bytes: int
    image_accounts: tuple[str, ...] = ()
    remote_accounts: Mapping[str, str] = field(default_factory=dict)  # stage -> its account, when remote


def api_function(scope: Construct, core: OrchestratorCore, targets: ApiTargets) -> OrchestratorFunction:
    """The function behind every API method, granted exactly what the operations call."""
    function = OrchestratorFunction(
        scope,
        "Function",
        source="provisioning_api",
        packages=(
            "lambdas/registry_approval",
            "lambdas/register",
            "mlops_api",
            "mlops_manifest",
            "mlops_contract",
        ),
        description="Provisioning API: validate manifests, grant uploads, status, approvals, rollback",
        platform=core.platform,
        unscopable_actions=("sagemaker:ListModelPackages",),
        environment=_environment(core, targets),
    )
    _grant_buckets(function, core)
    _grant_registry_and_pipelines(function, targets)
    return function


def _environment(core: OrchestratorCore, targets: ApiTargets) -> dict[str, str]:
    """The function's settings (lambdas/provisioning_api/settings.py)."""
    registry = core.registry
    return {
        settings.ENV_REGISTRY_BUCKET: registry.registry_bucket.bucket_name,
        settings.ENV_REPORTS_BUCKET: registry.reports_bucket.bucket_name,
        settings.ENV_TOPIC_ARN: registry.notifications.topic_arn,
        settings.ENV_PIPELINE_NAMES: pipeline_names_json(targets.pipelines),
        settings.ENV_APPROVAL_STAGE_NAME: targets.approval_stage,
        settings.ENV_STAGE_NAMES: ",".join(targets.stages),
        settings.ENV_MAX_ARTIFACT_BYTES: str(targets.max_artifact_bytes),
        settings.ENV_IMAGE_ACCOUNTS: ",".join(targets.image_accounts),
    } | _remote(targets)


def _remote(targets: ApiTargets) -> dict[str, str]:
    """The stages in other accounts, when there are any (single-account templates stay as they were)."""
    pairs = ",".join(f"{stage}={account}" for stage, account in targets.remote_accounts.items())
    return {settings.ENV_REMOTE_STAGES: pairs} if pairs else {}


def _grant_buckets(function: OrchestratorFunction, core: OrchestratorCore) -> None:
    """Read records and reports; sign PUTs under models/ only (the URLs carry the function's authority)."""
    registry, reports = core.registry.registry_bucket, core.registry.reports_bucket
    function.allow(["s3:GetObject"], [registry.arn_for_objects(p) for p in _REGISTRY_READS])
    function.allow(["s3:PutObject"], [registry.arn_for_objects("models/*")])
    # Without ListBucket a missing object reads as 403, not 404.
    function.allow(["s3:ListBucket"], [registry.bucket_arn], {"StringLike": {"s3:prefix": _REGISTRY_READS}})
    function.allow(["s3:GetObject"], [reports.arn_for_objects(p) for p in _REPORT_READS])
    function.allow(["s3:ListBucket"], [reports.bucket_arn], {"StringLike": {"s3:prefix": _REPORT_READS}})
    core.registry.encryption_key.grant(function.function, "kms:Decrypt", "kms:GenerateDataKey")
    core.registry.notifications.grant_publish(function.function)
    reasons = {iam5_resource(registry, f"/{prefix}"): _READ_REASONS[prefix] for prefix in _REGISTRY_READS}
    reasons |= {iam5_resource(reports, f"/{prefix}"): _READ_REASONS[prefix] for prefix in _REPORT_READS}
    function.acknowledge_policy(reasons)


def _grant_registry_and_pipelines(function: OrchestratorFunction, targets: ApiTargets) -> None:
    """Read packages and endpoints; read, start and answer the approval of the deployment pipelines."""
    arn = Stack.of(function).format_arn
    function.allow(
        ["sagemaker:DescribeModelPackageGroup"],
        [arn(service="sagemaker", resource="model-package-group", resource_name="*")],
    )
    # UpdateModelPackage: a refused approval is written on the package, as the registry path does.
    function.allow(
        ["sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage"],
        [arn(service="sagemaker", resource="model-package", resource_name="*/*")],
    )
    endpoints = arn(service="sagemaker", resource="endpoint", resource_name="*")
    function.allow(["sagemaker:DescribeEndpoint"], [endpoints])
    _grant_pipelines(function, targets)
    function.acknowledge_policy(
        {
            iam5_arn("sagemaker", "model-package-group/*"): _PER_MODEL,
            iam5_arn("sagemaker", "model-package/*/*"): _PER_MODEL,
            iam5_arn(
                "sagemaker", "endpoint/*"
            ): "Endpoints are named <model>-<stage> for run-time model names.",
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Publishes to the KMS-encrypted topic.",
        }
    )


def _grant_pipelines(function: OrchestratorFunction, targets: ApiTargets) -> None:
    """Read executions, start one (rollback), answer the production approval of each pipeline."""
    pipelines = [p.pipeline_arn for p in targets.pipelines.values()]
    actions = ["GetPipelineState", "GetPipelineExecution", "ListPipelineExecutions", "StartPipelineExecution"]
    function.allow([f"codepipeline:{action}" for action in actions], pipelines)
    answer = [f"{p}/{targets.approval_stage}/{APPROVAL_ACTION}" for p in pipelines]
    function.allow(["codepipeline:PutApprovalResult"], answer)
