"""An EventBridge Scheduler schedule that invokes one of the tooling account's endpoint checks."""

from dataclasses import dataclass

from aws_cdk import Fn
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from mlops_constructs.model_endpoint import ModelEndpoint


@dataclass(frozen=True)
class ScheduledCheck:
    """Which function a schedule invokes, when, and with what input (blueprint parameter names)."""

    function_parameter: str
    expression_parameter: str
    input_template: str  # Fn::Sub template; ${Endpoint}, ${Variant}, ${CaptureBucket}, ${CapturePrefix}
    description: str


def check_schedule(scope: Construct, check: ScheduledCheck, endpoint: ModelEndpoint) -> scheduler.CfnSchedule:
    """A KMS-encrypted schedule whose input is the check's template with endpoint and capture values."""
    parameters = endpoint.parameters
    capture = Fn.split("/", parameters.text("DataCaptureS3Uri"), 4)  # s3: / "" / bucket / prefix
    substitutions = {
        "Endpoint": endpoint.endpoint_name,
        "Variant": endpoint.variant_name,
        "CaptureBucket": Fn.select(2, capture),
        "CapturePrefix": Fn.select(3, capture),
    }
    return scheduler.CfnSchedule(
        scope,
        "Schedule",
        schedule_expression=parameters.text(check.expression_parameter),
        description=check.description,
        group_name=parameters.text("ScheduleGroupName"),
        flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
        kms_key_arn=parameters.text("KmsKeyArn"),
        target=scheduler.CfnSchedule.TargetProperty(
            arn=parameters.text(check.function_parameter),
            role_arn=parameters.text("DriftSchedulerRoleArn"),
            retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=2),
            input=Fn.sub(check.input_template, substitutions),
        ),
    )
