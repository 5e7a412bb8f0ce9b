"""QualitySchedule: the endpoint's model-quality schedule, part of the endpoint blueprint."""

from aws_cdk import Fn
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from mlops_constructs.endpoint_parameters import EndpointParameters

GROUND_TRUTH_PREFIX = (
    "ground-truth"  # s3://<data-capture bucket>/ground-truth/<endpoint>/yyyy/mm/dd/hh/*.jsonl
)
# The model-quality function's schedule input; the function reads the quality settings from the manifest.
_INPUT = (
    '{"endpoint_name": "${Endpoint}", "variant_name": "${Variant}", "model_name": "${ModelName}", '
    '"model_version": "${ModelVersion}", '
    '"manifest": {"bucket": "${BaselineBucketName}", "key": "${ManifestKey}"}, '
    '"capture": {"bucket": "${CaptureBucket}", "prefix": "${CapturePrefix}"}, '
    '"ground_truth": {"bucket": "${CaptureBucket}", "prefix": "' + GROUND_TRUTH_PREFIX + '"}, '
    '"baseline": {"bucket": "${BaselineBucketName}", "key": "${BaselineProfileKey}"}}'
)


class QualitySchedule(Construct):
    """Runs the tooling account's model-quality check when the manifest configures one."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        parameters: EndpointParameters,
        endpoint_name: str,
        variant_name: str,
    ) -> None:
        super().__init__(scope, construct_id)
        capture = Fn.split("/", parameters.text("DataCaptureS3Uri"), 4)  # s3: / "" / bucket / prefix
        self.schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            schedule_expression=parameters.text("QualityScheduleExpression"),
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            kms_key_arn=parameters.text("KmsKeyArn"),
            description="Model quality: captured predictions joined with uploaded ground truth",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=parameters.text("QualityCheckFunctionArn"),
                role_arn=parameters.text("DriftSchedulerRoleArn"),
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=2),
                input=Fn.sub(
                    _INPUT,
                    {
                        "Endpoint": endpoint_name,
                        "Variant": variant_name,
                        "CaptureBucket": Fn.select(2, capture),
                        "CapturePrefix": Fn.select(3, capture),
                    },
                ),
            ),
        )
        self.schedule.cfn_options.condition = parameters.is_set("QualityScheduleExpression")
