"""TrainingPipelines: the shared steps function and, per validated spec, its pipeline and triggers."""

from aws_cdk import CfnOutput
from constructs import Construct

from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.training_function import TrainingRunFunction
from mlops_constructs.training_pipeline import TrainingPipeline
from mlops_constructs.training_triggers import TrainingTriggers
from stacks.training_specs import LoadedSpec


class TrainingPipelines(Construct):
    """Everything `[training]` adds; pipelines are keyed by model name, their construct ids too."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        specs: tuple[LoadedSpec, ...],
        image_accounts: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        self.steps = TrainingRunFunction(self, "Steps", core=core, specs=tuple(item.spec for item in specs))
        self.pipelines: dict[str, TrainingPipeline] = {}
        self.triggers: dict[str, TrainingTriggers] = {}
        for item in specs:
            name = item.spec.model_name
            pipeline = TrainingPipeline(
                self,
                name,
                core=core,
                spec=item.spec,
                spec_text=item.text,
                steps=self.steps.function,
                image_accounts=image_accounts,
            )
            self.pipelines[name] = pipeline
            self.triggers[name] = TrainingTriggers(
                pipeline,
                "Triggers",
                spec=item.spec,
                state_machine=pipeline.state_machine,
                event_bus=core.event_bus,
            )
            CfnOutput(self, f"{name}StateMachineArn", value=pipeline.state_machine.state_machine_arn)
