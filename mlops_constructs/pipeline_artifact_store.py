"""PipelineArtifactStore: the deployment pipelines' artifact store in a stage region other than theirs.

CodePipeline needs an artifact bucket and key in every region where an action runs. CDK would otherwise
create a support stack per region with a bucket that the compliance packs refuse (no access logs, no key
rotation policy of ours); this store is the same hardened bucket, key and access logs as every other.
"""

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_config.model import Registry
from mlops_constructs.encrypted_store import EncryptedStore


def artifact_key_alias(project_name: str) -> str:
    """The alias of the artifact key of every other stage region (one store per region and project)."""
    return f"alias/{project_name}/pipeline-artifacts"


class PipelineArtifactStore(EncryptedStore):
    """Key (named by an alias: the pipeline in the tooling region cannot name a key ARN of another
    region), access logs and the artifact bucket; stateful, so these construct IDs never change."""

    def __init__(self, scope: Construct, construct_id: str, *, project_name: str, registry: Registry) -> None:
        description = f"{project_name}: deployment pipeline artifacts in this region"
        super().__init__(scope, construct_id, key_description=description, registry=registry)
        self.alias_name = artifact_key_alias(project_name)
        self.key_alias = kms.Alias(
            self, "KeyAlias", alias_name=self.alias_name, target_key=self.encryption_key
        )
        self.bucket = self.pipeline_artifacts(self, "Artifacts", encryption_key=self.key_alias)

    def for_pipelines(self) -> s3.IBucket:
        """The bucket as the tooling pipelines use it: by name, with its key by alias. CDK cannot reference
        a key of another region, and grants through an imported alias add nothing (the pipelines' role
        gets its key use by alias, ModelDeployment), so no GetAtt crosses regions."""
        alias = kms.Alias.from_alias_name(self, "KeyByAlias", self.alias_name)
        return s3.Bucket.from_bucket_attributes(
            self, "ForPipelines", bucket_name=self.bucket.bucket_name, encryption_key=alias
        )
