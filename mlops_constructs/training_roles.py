"""IAM of a training pipeline: the SageMaker role its jobs run with, and the state machine's job control."""

from collections.abc import Sequence

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from lambdas.common.s3_uri import split_s3_uri
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.image_accounts import pull_condition
from mlops_constructs.service_trust import (
    allow_pass_role,
    grant_key_via,
    grant_sagemaker_logs,
    sagemaker_principal,
)
from mlops_training.job import AutoMLJob, FrameworkScriptJob
from mlops_training.sagemaker_inputs import RUN_NAME_LENGTH
from mlops_training.spec import TrainingSpec

_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
_JOB_ACTIONS = {
    "training-job": [
        "sagemaker:CreateTrainingJob",
        "sagemaker:DescribeTrainingJob",
        "sagemaker:StopTrainingJob",
    ],
    "hyper-parameter-tuning-job": [
        "sagemaker:CreateHyperParameterTuningJob",
        "sagemaker:DescribeHyperParameterTuningJob",
        "sagemaker:StopHyperParameterTuningJob",
    ],
    "automl-job": ["sagemaker:CreateAutoMLJobV2", "sagemaker:DescribeAutoMLJobV2", "sagemaker:StopAutoMLJob"],
}
# Autopilot runs its processing, training and transform jobs with the role the AutoML job is given.
_AUTOML_CHILD_JOBS = ("processing-job", "training-job", "transform-job")
_AUTOML_CHILD_ACTIONS = [
    f"sagemaker:{verb}{kind}Job"
    for kind in ("Processing", "Training", "Transform")
    for verb in ("Create", "Describe", "Stop")
]
# The managed rules through which Step Functions learns that a .sync SageMaker job has ended.
_SYNC_RULES = (
    "StepFunctionsGetEventsForSageMakerTrainingJobsRule",
    "StepFunctionsGetEventsForSageMakerTuningJobsRule",
)


def reports_prefix(spec: TrainingSpec) -> str:
    """The reports-bucket folder of one model's runs (outputs, held-out features, predictions, history)."""
    return f"training/{spec.model_name}/"


def object_findings(uris: Sequence[str], reason: str) -> dict[str, str]:
    """AwsSolutions-IAM5 findings of the object wildcards s3_reads grants, as cdk-nag prints them."""
    keys = (split_s3_uri(uri) for uri in dict.fromkeys(uris))
    return {f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{b}/{k}*]": reason for b, k in keys}


def run_reads(spec: TrainingSpec) -> list[str]:
    """What the run-time steps read of the spec's own data: channels (digests, baseline), code, held-out."""
    code = [spec.job.source_uri] if isinstance(spec.job, FrameworkScriptJob) else []
    return [*(c.uri for c in spec.channels), *code, spec.evaluation.held_out_uri]


def job_name_pattern(spec: TrainingSpec) -> str:
    """The run names of this model (run_name), lower-cased as SageMaker spells them in ARNs."""
    return spec.model_name[: RUN_NAME_LENGTH - 14].rstrip("-").lower() + "-*"


def s3_reads(scope: Construct, uris: Sequence[str]) -> tuple[list[str], list[iam.PolicyStatement]]:
    """Object ARNs under each URI, and ListBucket statements limited to those prefixes."""
    partition = Stack.of(scope).partition
    objects, lists = [], []
    for uri in dict.fromkeys(uris):
        bucket, key = split_s3_uri(uri)
        objects.append(f"arn:{partition}:s3:::{bucket}/{key}*")
        lists.append(
            iam.PolicyStatement(
                actions=["s3:ListBucket"],
                resources=[f"arn:{partition}:s3:::{bucket}"],
                conditions={"StringLike": {"s3:prefix": [f"{key}*"]}},
            )
        )
    return objects, lists


def training_job_role(
    scope: Construct, *, spec: TrainingSpec, reports: s3.IBucket, key: kms.IKey, image_accounts: Sequence[str]
) -> iam.Role:
    """Reads the spec's channels, code and checkpoints; writes only this model's reports folder."""
    role = iam.Role(scope, "JobRole", assumed_by=sagemaker_principal(scope))
    reads = [c.uri for c in spec.channels]
    reads += [spec.job.source_uri] if isinstance(spec.job, FrameworkScriptJob) else []
    spot = spec.resources_or_default().spot
    objects, lists = s3_reads(scope, [*reads, *([spot.checkpoint_uri] if spot else [])])
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=objects))
    for statement in lists:
        role.add_to_policy(statement)
    own = reports.arn_for_objects(f"{reports_prefix(spec)}*")
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject", "s3:PutObject"], resources=[own]))
    if spot is not None:
        checkpoints, _ = s3_reads(scope, [spot.checkpoint_uri])
        role.add_to_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=checkpoints))
    grant_key_via(role, key, ["s3"], "kms:Decrypt", "kms:GenerateDataKey")
    key.grant(role, "kms:CreateGrant", "kms:DescribeKey")  # volume encryption of the job's instances
    _runtime(role, image_accounts)
    children = grant_automl_children(role, spec) if isinstance(spec.job, AutoMLJob) else {}
    _acknowledge_job_role(role, spec, reports, [*reads, *([spot.checkpoint_uri] if spot else [])], children)
    return role


def _runtime(role: iam.Role, image_accounts: Sequence[str]) -> None:
    """Images from the image accounts only, job logs, ECR authentication and metrics."""
    repositories = Stack.of(role).format_arn(
        service="ecr", account="*", resource="repository", resource_name="*"
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=_PULL, resources=[repositories], conditions=pull_condition(role, image_accounts)
        )
    )
    grant_sagemaker_logs(role, "/aws/sagemaker/*", streams=True, describe=True)
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], resources=["*"]
        )
    )


def _acknowledge_job_role(
    role: iam.Role, spec: TrainingSpec, reports: s3.IBucket, uris: list[str], extra: dict[str, str]
) -> None:
    findings = extra | object_findings(uris, "The spec's data, code or checkpoint prefix (allowed prefixes).")
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        findings
        | {
            iam5_resource(reports, f"/{reports_prefix(spec)}*"): "This model's runs: job output, held-out "
            "features and predictions.",
            iam5_arn(
                "ecr", "repository/*", account="*"
            ): "Only from the image accounts (aws:ResourceAccount).",
            iam5_arn("logs", "log-group:/aws/sagemaker/*"): "SageMaker names its job log groups itself.",
            iam5_arn("logs", "log-group:/aws/sagemaker/*:*"): "The streams of those log groups.",
            "AwsSolutions-IAM5[Resource::*]": "ECR authentication and metrics support no resource scope.",
            **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
        },
    )


def grant_job_control(role: iam.IRole, *, spec: TrainingSpec, job_role: iam.IRole) -> dict[str, str]:
    """Start, watch and stop this model's training (or tuning) jobs; return the findings to acknowledge."""
    stack = Stack.of(role)
    kind = _job_kind(spec)
    jobs = stack.format_arn(
        service="sagemaker",
        resource=kind,
        resource_name=job_name_pattern(spec),
        arn_format=ArnFormat.SLASH_RESOURCE_NAME,
    )
    role.add_to_principal_policy(iam.PolicyStatement(actions=_JOB_ACTIONS[kind], resources=[jobs]))
    if kind != "automl-job":  # AutoML is polled: no .sync rule learns of its end
        rules = [stack.format_arn(service="events", resource="rule", resource_name=n) for n in _SYNC_RULES]
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"], resources=rules
            )
        )
    allow_pass_role(role, job_role.role_arn)
    reason = "This model's run names (model name and a timestamp), which each run chooses."
    return {iam5_arn("sagemaker", f"{kind}/{job_name_pattern(spec)}"): reason}


def _job_kind(spec: TrainingSpec) -> str:
    """The SageMaker resource type a run of the spec starts (its ARN's resource part)."""
    if isinstance(spec.job, AutoMLJob):
        return "automl-job"
    return "hyper-parameter-tuning-job" if spec.tuning else "training-job"


def grant_automl_children(role: iam.Role, spec: TrainingSpec) -> dict[str, str]:
    """The AutoML job's own jobs (named after the run) and passing this role to them; findings returned."""
    stack = Stack.of(role)
    arns = [
        stack.format_arn(service="sagemaker", resource=kind, resource_name=job_name_pattern(spec),
                         arn_format=ArnFormat.SLASH_RESOURCE_NAME)
        for kind in _AUTOML_CHILD_JOBS
    ]  # fmt: skip
    role.add_to_policy(iam.PolicyStatement(actions=_AUTOML_CHILD_ACTIONS, resources=arns))
    allow_pass_role(role, role.role_arn)
    reason = "The jobs Autopilot starts for this model's AutoML runs are named after the run."
    return {iam5_arn("sagemaker", f"{kind}/{job_name_pattern(spec)}"): reason for kind in _AUTOML_CHILD_JOBS}
