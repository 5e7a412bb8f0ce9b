"""What the drift and model-quality checks share: a scheduled function that writes reports and notifies."""

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from lambdas.common.environment import ENV_REPORTS_BUCKET, ENV_TOPIC_ARN
from mlops_constructs.data_home import DataHome
from mlops_constructs.orchestrator_function import FunctionPlatform, OrchestratorFunction


def report_check(
    scope: Construct,
    *,
    function: str,
    packages: tuple[str, ...],
    description: str,
    registry: DataHome,
    platform: FunctionPlatform,
    memory_size: int,
    timeout: Duration,
    environment: Mapping[str, str],
    extra_layers: tuple[lambda_.ILayerVersion, ...] = (),
) -> OrchestratorFunction:
    """The "Check" function of `lambdas/<function>`: given the reports bucket and topic, may put metrics."""
    return OrchestratorFunction(
        scope,
        "Check",
        source=function,
        packages=packages,
        description=description,
        platform=platform,
        memory_size=memory_size,
        timeout=timeout,
        unscopable_actions=("cloudwatch:PutMetricData",),
        extra_layers=extra_layers,
        environment={
            ENV_REPORTS_BUCKET: registry.reports_bucket.bucket_name,
            ENV_TOPIC_ARN: registry.notifications.topic_arn,
            **environment,
        },
    )


def grant_reporting(check: OrchestratorFunction, registry: DataHome, report_prefixes: list[str]) -> None:
    """Read and write its reports and checkpoints under the prefixes; publish to the encrypted topic."""
    reports = registry.reports_bucket
    check.allow(["s3:GetObject", "s3:PutObject"], [reports.arn_for_objects(p) for p in report_prefixes])
    check.allow(["s3:ListBucket"], [reports.bucket_arn])
    registry.encryption_key.grant(check.function, "kms:Decrypt", "kms:GenerateDataKey")
    registry.notifications.grant_publish(check.function)
