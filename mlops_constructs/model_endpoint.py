"""ModelEndpoint: a SageMaker model, its endpoint configuration and endpoint, with alarms and guardrails."""

from aws_cdk import Fn
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from constructs import Construct

from mlops_constructs import endpoint_config_parts as parts
from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs, skip_checkov
from mlops_constructs.deployment_guardrails import blue_green_deployment
from mlops_constructs.endpoint_alarms import EndpointAlarms
from mlops_constructs.endpoint_parameters import EndpointParameters
from mlops_constructs.model_container import model_environment
from mlops_constructs.model_role import ModelRole
from mlops_contract.pipeline import ENDPOINT_TYPES
from mlops_manifest.inference import InferenceType

# Guardrails require the new endpoint configuration to keep the old variant name.
VARIANT_NAME = "AllTraffic"
_SERVERLESS_LIMITS = (
    "Serverless Inference does not support VPC configuration, network isolation, data capture or a "
    "storage-volume KMS key (AWS SageMaker developer guide, Serverless Inference feature exclusions); "
    "the serverless endpoint has no attached storage volume to encrypt."
)


_TOPIC = "NotificationTopicArn"


class ModelEndpoint(Construct):
    """A guarded endpoint for one model and stage: the typed attributes are the hooks for extensions."""

    def __init__(self, scope: Construct, construct_id: str, *, parameters: EndpointParameters) -> None:
        super().__init__(scope, construct_id)
        inference_type = parameters.inference_type
        if inference_type not in ENDPOINT_TYPES:
            raise ValueError(f"{inference_type} inference has no endpoint; use BatchTransformWorkflow")
        self.inference_type = inference_type
        self.parameters = parameters
        self.variant_name = VARIANT_NAME
        self.notification_topic = sns.Topic.from_topic_arn(self, "NotificationTopic", parameters.text(_TOPIC))
        instance_backed = inference_type is not InferenceType.SERVERLESS
        self.capture_uri: str | None = parameters.text("DataCaptureS3Uri") if instance_backed else None
        self.encryption_key_arn: str | None = parameters.text("KmsKeyArn") if instance_backed else None
        # Derived from parameters, not from the endpoint, so the alarms (which the endpoint's rollback
        # configuration references) do not depend on the endpoint.
        name = Fn.join("-", [parameters.text("ModelName"), parameters.text("StageName")])
        self.alarms = self._alarms(name)
        # The model's own role: its artifact only, under the stage's path and boundary.
        self.execution_role = ModelRole(self, "ExecutionRole", parameters=parameters, endpoint_name=name).role
        self.model = self._model(instance_backed)
        self.endpoint_config = self._endpoint_config()
        self.endpoint = self._endpoint(name, instance_backed)
        self.endpoint_name: str = self.endpoint.attr_endpoint_name
        self.endpoint_arn: str = self.endpoint.ref

    def _alarms(self, endpoint_name: str) -> EndpointAlarms:
        p = self.parameters
        return EndpointAlarms(
            self,
            "Alarms",
            endpoint_name=endpoint_name,
            variant_name=VARIANT_NAME,
            inference_type=self.inference_type,
            topic=self.notification_topic,
            http_5xx_rate_percent=p.number("Http5xxRatePercent"),
            model_latency_ms=p.number("ModelLatencyMilliseconds"),
            invocation_errors=p.number("InvocationErrorsThreshold"),
        )

    def _endpoint(self, name: str, instance_backed: bool) -> sagemaker.CfnEndpoint:
        return sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=name,
            endpoint_config_name=self.endpoint_config.attr_endpoint_config_name,
            # SageMaker supports deployment guardrails on real-time and asynchronous endpoints only.
            deployment_config=blue_green_deployment(self.parameters, self.alarms.rollback_alarms)
            if instance_backed
            else None,
        )

    def _model(self, instance_backed: bool) -> sagemaker.CfnModel:
        p = self.parameters
        model = sagemaker.CfnModel(
            self,
            "Model",
            execution_role_arn=self.execution_role.role_arn,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=p.text("ImageUri"),
                model_data_url=p.text("ModelDataUrl"),
                environment=model_environment(p),
            ),
            enable_network_isolation=True if instance_backed else None,
            vpc_config=parts.vpc_config(p) if instance_backed else None,
        )
        if not instance_backed:
            skip_checkov(model, {"CKV_AWS_370": _SERVERLESS_LIMITS})
        return model

    def _endpoint_config(self) -> sagemaker.CfnEndpointConfig:
        # Never named: a changed endpoint configuration is a replacement, which the endpoint then rolls to.
        p, kind = self.parameters, self.inference_type
        variant = parts.production_variant(
            p, kind, model_name=self.model.attr_model_name, variant_name=VARIANT_NAME
        )
        if kind is InferenceType.SERVERLESS:
            config = sagemaker.CfnEndpointConfig(self, "Config", production_variants=[variant])
            acknowledge(
                config,
                in_regulatory_packs("SageMakerEndpointConfigurationKMSKeyConfigured", _SERVERLESS_LIMITS),
            )
            return config
        return sagemaker.CfnEndpointConfig(
            self,
            "Config",
            production_variants=[variant],
            data_capture_config=parts.data_capture(p),
            kms_key_id=parts.volume_key(p),
            async_inference_config=parts.async_inference(p) if kind is InferenceType.ASYNC else None,
        )
