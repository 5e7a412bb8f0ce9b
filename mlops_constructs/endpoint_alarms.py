"""EndpointAlarms: the endpoint's CloudWatch alarms, which notify and roll back guarded deployments."""

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from mlops_manifest.inference import InferenceType

NAMESPACE = "AWS/SageMaker"
_PERIOD = Duration.minutes(1)
# Asynchronous endpoints publish no InvocationModelErrors; InvocationFailures counts their failed requests.
_ERROR_METRIC = {
    InferenceType.REALTIME: "InvocationModelErrors",
    InferenceType.SERVERLESS: "InvocationModelErrors",
    InferenceType.ASYNC: "InvocationFailures",
}


class EndpointAlarms(Construct):
    """5XX rate, model latency and invocation-error alarms on one endpoint variant, notifying a topic."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        endpoint_name: str,
        variant_name: str,
        inference_type: InferenceType,
        topic: sns.ITopic,
        http_5xx_rate_percent: float,
        model_latency_ms: float,
        invocation_errors: float,
    ) -> None:
        super().__init__(scope, construct_id)
        self._dimensions = {"EndpointName": endpoint_name, "VariantName": variant_name}
        self._topic = topic
        # Invocation5XXErrors is 1 for a 5XX response and 0 otherwise, so its average is the 5XX share.
        share = self._scaled("100 * errors", "errors", "Invocation5XXErrors", "5XX responses (%)")
        self.http_5xx_rate = self._alarm(
            "Http5xxRate", share, http_5xx_rate_percent, "share of 5XX responses (%)"
        )
        # ModelLatency is published in microseconds; the threshold is given in milliseconds.
        latency = self._scaled("latency / 1000", "latency", "ModelLatency", "Average model latency (ms)")
        self.model_latency = self._alarm(
            "ModelLatency", latency, model_latency_ms, "average model latency (ms)"
        )
        self.invocation_errors = self._alarm(
            "InvocationErrors",
            self._metric(_ERROR_METRIC[inference_type], "Sum"),
            invocation_errors,
            "failed invocations per minute",
        )
        self.rollback_alarms = [self.http_5xx_rate, self.model_latency, self.invocation_errors]

    def _scaled(self, expression: str, variable: str, metric: str, label: str) -> cloudwatch.MathExpression:
        """The per-minute average of a metric, rescaled by `expression` (in terms of `variable`)."""
        using = {variable: self._metric(metric, "Average")}
        return cloudwatch.MathExpression(
            expression=expression, using_metrics=using, label=label, period=_PERIOD
        )

    def _metric(self, name: str, statistic: str) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace=NAMESPACE,
            metric_name=name,
            dimensions_map=self._dimensions,
            statistic=statistic,
            period=_PERIOD,
        )

    def _alarm(
        self, construct_id: str, metric: cloudwatch.IMetric, threshold: float, meaning: str
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"SageMaker endpoint: {meaning} above the rollback threshold in 2 of the last "
            "3 minutes; rolls back a guarded deployment in progress",
        )
        alarm.add_alarm_action(actions.SnsAction(self._topic))
        alarm.add_ok_action(actions.SnsAction(self._topic))
        return alarm
