"""DriftSchedule: the endpoint's drift-check schedule and drift alarm, part of the endpoint blueprint."""

from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from mlops_constructs.check_schedule import ScheduledCheck, check_schedule
from mlops_constructs.model_endpoint import ModelEndpoint

DRIFT_NAMESPACE = "MLOpsOrchestrator/Drift"
DRIFT_METRIC = "DriftDetected"
# The drift-check function's schedule input (lambdas/drift_check/request.py: DriftCheckRequest).
DRIFT_CHECK = ScheduledCheck(
    function_parameter="DriftCheckFunctionArn",
    expression_parameter="DriftScheduleExpression",
    input_template=(
        '{"endpoint_name": "${Endpoint}", "variant_name": "${Variant}", "model_name": "${ModelName}", '
        '"model_version": "${ModelVersion}", "baseline": {"bucket": "${BaselineBucketName}", '
        '"key": "${BaselineProfileKey}"}, '
        '"capture": {"bucket": "${CaptureBucket}", "prefix": "${CapturePrefix}"}, '
        '"thresholds": {"default": {"psi": ${DriftPsi}, "ks": ${DriftKs}, "js": ${DriftJs}, '
        '"p_value": ${DriftPValue}, "missing_rate_increase": ${DriftMissingRate}}}}'
    ),
    description="Drift check of the endpoint's captured traffic against the model's baseline",
)


class DriftSchedule(Construct):
    """Runs the tooling account's drift check on the manifest's schedule; alarms when it finds drift."""

    def __init__(self, scope: Construct, construct_id: str, *, endpoint: ModelEndpoint) -> None:
        super().__init__(scope, construct_id)
        parameters, topic_arn = endpoint.parameters, endpoint.parameters.text("NotificationTopicArn")
        enabled = parameters.is_set("BaselineProfileKey")
        dimension = cloudwatch.CfnAlarm.DimensionProperty(name="EndpointName", value=endpoint.endpoint_name)
        self.schedule = check_schedule(self, DRIFT_CHECK, endpoint)
        self.schedule.cfn_options.condition = enabled
        self.alarm = cloudwatch.CfnAlarm(
            self,
            "DriftAlarm",
            namespace=DRIFT_NAMESPACE,
            metric_name=DRIFT_METRIC,
            statistic="Maximum",
            dimensions=[dimension],
            period=3600,
            evaluation_periods=1,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[topic_arn],
            ok_actions=[topic_arn],
            alarm_description="The drift check found captured traffic drifting from the model's baseline",
        )
        self.alarm.cfn_options.condition = enabled
