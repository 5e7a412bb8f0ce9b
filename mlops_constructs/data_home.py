"""Where a stage's endpoint checks keep and read their data: the tooling registry or a stage account's own.

The drift and model-quality checks, the smoke test and the SageMaker roles run either in the tooling stack
(stages in the tooling account and region) or in a stage target stack. Both places offer the same things.
"""

from dataclasses import dataclass
from typing import Protocol

from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from mlops_constructs.bucket_reads import BucketReads
from mlops_constructs.orchestrator_function import FunctionPlatform


class DataHome(Protocol):
    """The data key, capture and report buckets, alarm topic, and how registry objects are read."""

    @property
    def encryption_key(self) -> kms.IKey:
        """Encrypts captured data, reports, logs and dead letters."""
        ...

    @property
    def data_capture_bucket(self) -> s3.IBucket:
        """Captured traffic, ground truth, async requests and answers."""
        ...

    @property
    def reports_bucket(self) -> s3.IBucket:
        """Drift and quality reports and their checkpoints."""
        ...

    @property
    def notifications(self) -> sns.ITopic:
        """Where alarms and checks notify."""
        ...

    @property
    def registry_reads(self) -> BucketReads:
        """Reads of baselines, manifests and registered artifacts in the registry bucket."""
        ...


@dataclass(frozen=True)
class CheckCore:
    """What the endpoint checks share: their data home, the bus they announce on, and their layers."""

    data: DataHome
    event_bus: events.IEventBus
    dependencies: lambda_.ILayerVersion
    arrow: lambda_.ILayerVersion

    @property
    def platform(self) -> FunctionPlatform:
        """What every function is built on: the layer, the data key and the alarm topic."""
        return FunctionPlatform(self.dependencies, self.data.encryption_key, self.data.notifications)
