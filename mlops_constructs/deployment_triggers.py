"""DeploymentTriggers: registrations start pipelines; failures and rollbacks become events and messages."""

from collections.abc import Mapping

from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_events as events
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from lambdas.common.pipeline_variables import ENV_PIPELINE_NAMES
from lambdas.deployment_events.patterns import ROLLBACK_PATTERN, failed_execution_pattern
from lambdas.start_deployment import settings as start_settings
from lambdas.start_deployment.request import MODEL_REGISTERED_PATTERN
from mlops_constructs.model_registry import ModelRegistry
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import FunctionPlatform, OrchestratorFunction
from mlops_manifest.inference import InferenceType

_TOPIC_KEY = {
    "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Publishes to the KMS-encrypted notification topic."
}


def pipeline_names_json(pipelines: Mapping[InferenceType, codepipeline.Pipeline]) -> str:
    """The PIPELINE_NAMES environment value: {"realtime": name, ...} (names are tokens until deploy)."""
    return "{" + ",".join(f'"{kind.value}":"{p.pipeline_name}"' for kind, p in pipelines.items()) + "}"


class DeploymentTriggers(Construct):
    """The start-deployment and deployment-events functions and the rules that invoke them."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        pipelines: Mapping[InferenceType, codepipeline.Pipeline],
        batch_workflow: sfn.IStateMachine | None,
    ) -> None:
        super().__init__(scope, construct_id)
        registry, event_bus, platform = core.registry, core.event_bus, core.platform
        environment = {
            ENV_PIPELINE_NAMES: pipeline_names_json(pipelines),
            start_settings.ENV_TOPIC_ARN: registry.notifications.topic_arn,
            start_settings.ENV_EVENT_BUS_NAME: event_bus.event_bus_name,
        }
        # Batch models get no pipeline; their notification says how to run the batch workflow.
        batch = (
            {start_settings.ENV_BATCH_WORKFLOW_ARN: batch_workflow.state_machine_arn}
            if batch_workflow
            else {}
        )
        self.start = self._function(
            "StartDeployment",
            "start_deployment",
            "Starts the deployment pipeline of a newly registered model",
            {**environment, **batch},
            platform,
        )
        self.events = self._function(
            "DeploymentEvents",
            "deployment_events",
            "Turns failed pipeline executions and endpoint rollbacks into events and messages",
            environment,
            platform,
        )
        self._rules(event_bus, pipelines)
        self._grant(registry, event_bus, pipelines)

    def _function(
        self,
        construct_id: str,
        package: str,
        description: str,
        environment: dict[str, str],
        platform: FunctionPlatform,
    ) -> OrchestratorFunction:
        """One of the two functions: lambdas/<package>/handler.py with the shared settings."""
        return OrchestratorFunction(
            self,
            construct_id,
            source=package,
            packages=("mlops_manifest", "mlops_contract"),
            description=description,
            environment=environment,
            platform=platform,
        )

    def _rules(
        self, event_bus: events.IEventBus, pipelines: Mapping[InferenceType, codepipeline.Pipeline]
    ) -> None:
        names = [p.pipeline_name for p in pipelines.values()]
        self.start.trigger(
            self,
            "ModelRegistered",
            event_bus=event_bus,
            pattern=MODEL_REGISTERED_PATTERN,
            description="Start the deployment of a registered model",
        )
        self.events.trigger(
            self,
            "ExecutionFailed",
            pattern=failed_execution_pattern(names),
            description="A deployment pipeline execution failed or stopped",
        )
        self.events.trigger(
            self,
            "EndpointRolledBack",
            pattern=ROLLBACK_PATTERN,
            description="A guarded endpoint deployment rolled back",
        )

    def _grant(
        self,
        registry: ModelRegistry,
        event_bus: events.IEventBus,
        pipelines: Mapping[InferenceType, codepipeline.Pipeline],
    ) -> None:
        for function in (self.start, self.events):
            registry.notifications.grant_publish(function.function)
            event_bus.grant_put_events_to(function.function)
            function.acknowledge_policy(_TOPIC_KEY)
        arns = [p.pipeline_arn for p in pipelines.values()]
        self.start.allow(["codepipeline:StartPipelineExecution"], arns)
        self.events.allow(["codepipeline:GetPipelineExecution", "codepipeline:ListActionExecutions"], arns)
