"""QualitySchedule: the endpoint's model-quality schedule, part of the endpoint blueprint."""

from constructs import Construct

from mlops_constructs.check_schedule import ScheduledCheck, check_schedule
from mlops_constructs.model_endpoint import ModelEndpoint

# Ground truth is uploaded to s3://<data-capture bucket>/ground-truth/<endpoint>/yyyy/mm/dd/hh/*.jsonl.
GROUND_TRUTH_PREFIX = "ground-truth"
# The model-quality function's schedule input; the function reads the quality settings from the manifest.
QUALITY_CHECK = ScheduledCheck(
    function_parameter="QualityCheckFunctionArn",
    expression_parameter="QualityScheduleExpression",
    input_template=(
        '{"endpoint_name": "${Endpoint}", "variant_name": "${Variant}", "model_name": "${ModelName}", '
        '"model_version": "${ModelVersion}", '
        '"manifest": {"bucket": "${BaselineBucketName}", "key": "${ManifestKey}"}, '
        '"capture": {"bucket": "${CaptureBucket}", "prefix": "${CapturePrefix}"}, '
        '"ground_truth": {"bucket": "${CaptureBucket}", "prefix": "' + GROUND_TRUTH_PREFIX + '"}, '
        '"baseline": {"bucket": "${BaselineBucketName}", "key": "${BaselineProfileKey}"}}'
    ),
    description="Model quality: captured predictions joined with uploaded ground truth",
)


class QualitySchedule(Construct):
    """Runs the tooling account's model-quality check when the manifest configures one."""

    def __init__(self, scope: Construct, construct_id: str, *, endpoint: ModelEndpoint) -> None:
        super().__init__(scope, construct_id)
        self.schedule = check_schedule(self, QUALITY_CHECK, endpoint)
        self.schedule.cfn_options.condition = endpoint.parameters.is_set("QualityScheduleExpression")
