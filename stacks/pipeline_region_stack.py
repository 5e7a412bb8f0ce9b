"""PipelineRegionStack: the tooling account's share of a stage region other than the tooling region.

It holds the deployment pipelines' artifact store there (CodePipeline needs one per action region) and
names the stage roles of that region that read the templates from it. It deploys after the stage target
stacks of its region (its policies name their roles) and before the tooling stack (whose pipelines use it).
"""

from collections.abc import Iterable
from importlib.metadata import version
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from mlops_config import OrchestratorConfig
from mlops_config.targets import VERSION_OUTPUT
from mlops_constructs.bucket_reads import open_to_readers
from mlops_constructs.pipeline_artifact_store import PipelineArtifactStore
from mlops_constructs.remote_stage_access import distinct_readers
from mlops_constructs.stage_host import StageHost

# What the stage roles of this region read of the pipelines' artifacts (the same as their own policies).
ARTIFACT_READS = ("s3:GetObject", "s3:GetObjectVersion")


class PipelineRegionStack(Stack):
    """The pipelines' artifact bucket and key in one stage region, in the tooling account."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: OrchestratorConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, termination_protection=config.termination_protection, **kwargs)
        self.store = PipelineArtifactStore(
            self, "PipelineArtifacts", project_name=config.project_name, registry=config.registry
        )
        CfnOutput(self, VERSION_OUTPUT, value=version("mlops-orchestrator"))
        CfnOutput(self, "ArtifactBucketName", value=self.store.bucket.bucket_name)

    def open_to(self, hosts: Iterable[StageHost]) -> None:
        """The stages' deploy roles (CodePipeline's action roles here) and CloudFormation roles read the
        pipelines' artifacts; the tooling pipelines see this bucket as imported, so CDK names nobody."""
        readers = distinct_readers([reader for host in hosts for reader in host.artifact_readers])
        open_to_readers(
            self.store.bucket, self.store.encryption_key, readers, "StageReadsTemplates", ARTIFACT_READS
        )
