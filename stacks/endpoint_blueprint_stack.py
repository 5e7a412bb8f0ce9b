"""EndpointBlueprintStack: the template deployed once per model and stage, one per inference type."""

from collections.abc import Callable, Sequence
from typing import Any

from aws_cdk import CfnOutput, DefaultStackSynthesizer, Stack, Tags
from constructs import Construct

from mlops_constructs.data_quality_monitor import DataQualityMonitor
from mlops_constructs.drift_schedule import DriftSchedule
from mlops_constructs.endpoint_autoscaling import EndpointAutoscaling
from mlops_constructs.endpoint_parameters import EndpointParameters
from mlops_constructs.model_endpoint import ModelEndpoint
from mlops_constructs.quality_schedule import QualitySchedule
from mlops_manifest.inference import InferenceType

# An extension adds resources next to the endpoint (e.g. a drift-check schedule) using its typed attributes:
# endpoint_name, endpoint_arn, variant_name, capture_uri, notification_topic, encryption_key_arn, parameters.
EndpointExtension = Callable[[ModelEndpoint], None]

_DESCRIPTIONS = {
    InferenceType.REALTIME: "real-time endpoint on instances",
    InferenceType.SERVERLESS: "serverless endpoint",
    InferenceType.ASYNC: "asynchronous endpoint writing results to S3",
}


class EndpointBlueprintStack(Stack):
    """A parameterised SageMaker endpoint for one inference type; the pipeline supplies model and stage."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        inference_type: InferenceType,
        model_monitor: bool = False,
        extensions: Sequence[EndpointExtension] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "description",
            f"MLOps Orchestrator endpoint blueprint: {_DESCRIPTIONS[inference_type]} with data capture, "
            "alarms and deployment guardrails; deployed per model and stage by the deployment pipeline",
        )
        # Deployed by a pipeline's CloudFormation action, not `cdk deploy`: no bootstrap check, no metadata.
        kwargs.setdefault("synthesizer", DefaultStackSynthesizer(generate_bootstrap_version_rule=False))
        kwargs.setdefault("analytics_reporting", False)
        super().__init__(scope, construct_id, **kwargs)
        self.inference_type = inference_type
        parameters = EndpointParameters(
            self, "Parameters", inference_type=inference_type, model_monitor=model_monitor
        )
        self.endpoint = ModelEndpoint(self, "Endpoint", parameters=parameters)
        self.autoscaling: EndpointAutoscaling | None = None
        self.drift: DriftSchedule | None = None
        self.quality: QualitySchedule | None = None
        self.model_monitor: DataQualityMonitor | None = None
        if inference_type is not InferenceType.SERVERLESS:  # serverless endpoints cannot capture data
            self.autoscaling = EndpointAutoscaling(self, "Autoscaling", endpoint=self.endpoint)
            self.drift = DriftSchedule(self, "Drift", endpoint=self.endpoint)
            self.quality = QualitySchedule(self, "Quality", endpoint=self.endpoint)
            if model_monitor:  # `[monitoring] sagemaker_model_monitor`: decided at synth, off by default
                self.model_monitor = DataQualityMonitor(self, "ModelMonitor", endpoint=self.endpoint)
        for key in ("ModelName", "ModelVersion", "StageName"):
            Tags.of(self).add(f"mlops:{key}", parameters.text(key))
        self._outputs()
        for extend in extensions:
            extend(self.endpoint)

    def _outputs(self) -> None:
        endpoint = self.endpoint
        CfnOutput(self, "EndpointName", value=endpoint.endpoint_name, description="Name to invoke")
        CfnOutput(self, "EndpointArn", value=endpoint.endpoint_arn, description="ARN of the endpoint")
        CfnOutput(
            self,
            "EndpointConfigName",
            value=endpoint.endpoint_config.attr_endpoint_config_name,
            description="Configuration the endpoint serves now (replaced on every change)",
        )
        CfnOutput(
            self, "SageMakerModelName", value=endpoint.model.attr_model_name, description="SageMaker model"
        )
        CfnOutput(self, "VariantName", value=endpoint.variant_name, description="Production variant")
        if endpoint.capture_uri is not None:
            CfnOutput(
                self,
                "DataCaptureS3Uri",
                value=endpoint.capture_uri,
                description="Where requests are captured",
            )
        for alarm in endpoint.alarms.rollback_alarms:
            CfnOutput(
                self,
                f"{alarm.node.id}AlarmName",
                value=alarm.alarm_name,
                description="Alarm that notifies and rolls back a guarded deployment",
            )
