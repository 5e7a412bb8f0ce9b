"""An EventBridge Scheduler schedule that invokes one of the tooling account's endpoint checks."""

from aws_cdk import Fn
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from mlops_constructs.endpoint_parameters import EndpointParameters


def check_schedule(
    scope: Construct,
    *,
    parameters: EndpointParameters,
    function_parameter: str,
    expression_parameter: str,
    input_template: str,
    endpoint_name: str,
    variant_name: str,
    description: str,
) -> scheduler.CfnSchedule:
    """A KMS-encrypted schedule whose input is `input_template` with endpoint and capture values filled in."""
    capture = Fn.split("/", parameters.text("DataCaptureS3Uri"), 4)  # s3: / "" / bucket / prefix
    substitutions = {
        "Endpoint": endpoint_name,
        "Variant": variant_name,
        "CaptureBucket": Fn.select(2, capture),
        "CapturePrefix": Fn.select(3, capture),
    }
    return scheduler.CfnSchedule(
        scope,
        "Schedule",
        schedule_expression=parameters.text(expression_parameter),
        description=description,
        flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
        kms_key_arn=parameters.text("KmsKeyArn"),
        target=scheduler.CfnSchedule.TargetProperty(
            arn=parameters.text(function_parameter),
            role_arn=parameters.text("DriftSchedulerRoleArn"),
            retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=2),
            input=Fn.sub(input_template, substitutions),
        ),
    )
