"""ToolingStack: everything the tooling account runs — registry, events, registration."""

from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_events as events
from constructs import Construct

from mlops_config import OrchestratorConfig
from mlops_constructs.dependencies_layer import DependenciesLayer
from mlops_constructs.model_registry import ModelRegistry
from mlops_constructs.upload_registration import UploadRegistration

_MIB = 1024 * 1024


class ToolingStack(Stack):
    """One stack per tooling account, so IAM scoping and compliance findings never cross stack exports."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: OrchestratorConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, termination_protection=config.termination_protection, **kwargs)
        self.registry = ModelRegistry(
            self,
            "Registry",
            project_name=config.project_name,
            registry=config.registry,
            notifications=config.notifications,
        )
        self.event_bus = events.EventBus(self, "Events", description="MLOps Orchestrator lifecycle events")
        dependencies = DependenciesLayer(self, "Dependencies").layer
        self.registration = UploadRegistration(
            self,
            "Registration",
            registry_bucket=self.registry.registry_bucket,
            encryption_key=self.registry.encryption_key,
            topic=self.registry.notifications,
            event_bus=self.event_bus,
            dependencies=dependencies,
            max_artifact_bytes=config.registry.max_artifact_mib * _MIB,
        )
        self._outputs()

    def _outputs(self) -> None:
        registry = self.registry
        CfnOutput(self, "RegistryBucketName", value=registry.registry_bucket.bucket_name)
        CfnOutput(self, "DataCaptureBucketName", value=registry.data_capture_bucket.bucket_name)
        CfnOutput(self, "ReportsBucketName", value=registry.reports_bucket.bucket_name)
        CfnOutput(self, "NotificationTopicArn", value=registry.notifications.topic_arn)
        CfnOutput(self, "DataKeyArn", value=registry.encryption_key.key_arn)
        CfnOutput(self, "EventBusName", value=self.event_bus.event_bus_name)
        CfnOutput(self, "RegisterFunctionName", value=self.registration.register.function.function_name)
