"""OrchestratorCore: what the tooling stack's function constructs share, passed to each as one prop."""

from dataclasses import dataclass

from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_

from mlops_constructs.data_home import CheckCore
from mlops_constructs.model_registry import ModelRegistry
from mlops_constructs.orchestrator_function import FunctionPlatform


@dataclass(frozen=True)
class OrchestratorCore:
    """The registry (buckets, data key, topic), the lifecycle event bus, the dependencies layer every function
    has, and the pyarrow layer of the functions that read Parquet baselines or parse capture in bulk."""

    registry: ModelRegistry
    event_bus: events.IEventBus
    dependencies: lambda_.ILayerVersion
    arrow: lambda_.ILayerVersion

    @property
    def platform(self) -> FunctionPlatform:
        """What every function is built on: the layer, the data key and the alarm topic."""
        return self.checks().platform

    def checks(self) -> CheckCore:
        """The same registry, bus and layers, as the endpoint checks and stage functions see them."""
        return CheckCore(self.registry, self.event_bus, self.dependencies, self.arrow)
