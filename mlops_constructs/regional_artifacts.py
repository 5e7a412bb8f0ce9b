"""RegionalArtifacts: in a stage region other than the tooling region, write-once copies of the sealed
artifacts its stages deploy, and the function the pipelines call to make them (before each Deploy)."""

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from constructs import Construct

from lambdas.regional_artifact import settings
from mlops_constructs.acknowledge import iam5_resource
from mlops_constructs.bucket_reads import LocalReads
from mlops_constructs.data_home import CheckCore
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.orchestrator_function import OrchestratorFunction
from mlops_constructs.smoke_test_function import JOB_RESULTS
from mlops_constructs.stage_data import StageData
from mlops_contract.registry_layout import ARTIFACTS_PREFIX

_COPIES = f"{ARTIFACTS_PREFIX}*"
_REMOVALS = ("s3:DeleteObject", "s3:DeleteObjectVersion")


class RegionalArtifacts(Construct):
    """Copies under the stage key: written once, by the copy function only, and never deleted."""

    def __init__(
        self, scope: Construct, construct_id: str, *, data: StageData, core: CheckCore, tooling_region: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.bucket = HardenedBucket(
            self,
            "Copies",
            encryption_key=data.encryption_key,
            access_logs=data.access_logs,
            noncurrent_version_retention=Duration.days(1),  # none are made: copies are written once
        ).bucket
        self.copy = self._function(data, core, tooling_region)
        self._seal()
        # How the stage's SageMaker roles read the copies (the registry's artifacts, in this region).
        self.reads = LocalReads(self.bucket, data.encryption_key)

    def _function(self, data: StageData, core: CheckCore, tooling_region: str) -> OrchestratorFunction:
        """Reads sealed artifacts in the tooling registry, writes their copies here."""
        copy = OrchestratorFunction(
            self,
            "Copy",
            source="regional_artifact",
            packages=("mlops_contract", "mlops_manifest"),
            description="Copies a stage's sealed artifact into this region, verifying its sha256",
            environment={
                settings.ENV_ARTIFACT_BUCKET: self.bucket.bucket_name,
                settings.ENV_SOURCE_REGION: tooling_region,
            },
            platform=core.platform,
            memory_size=1024,  # a 64 MiB part in memory, and more network bandwidth
            timeout=Duration.minutes(15),
            unscopable_actions=JOB_RESULTS,
        )
        data.registry_reads.grant(copy.role, [_COPIES])
        copy.allow(
            ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
            [self.bucket.arn_for_objects(_COPIES)],
        )
        # Without ListBucket a missing copy reads as 403, not 404, and could not be told from a refusal.
        copy.allow(["s3:ListBucket"], [self.bucket.bucket_arn], {"StringLike": {"s3:prefix": [_COPIES]}})
        data.encryption_key.grant(copy.function, "kms:Decrypt", "kms:GenerateDataKey")
        copy.acknowledge_policy(
            {
                data.registry_reads.finding(_COPIES): "Reads any sealed artifact, named by its digest.",
                iam5_resource(self.bucket, f"/{_COPIES}"): "Writes the copy of any sealed artifact.",
            }
        )
        return copy

    def _seal(self) -> None:
        """Only the copy function writes, only with If-None-Match, and nobody deletes (as in the registry).

        S3 exempts the multipart steps that cannot carry the header (s3:ObjectCreationOperation false);
        the completion, which creates the object, must carry it.
        """
        objects = [self.bucket.arn_for_objects("*")]
        for sid, effect_on, conditions in (
            (
                "OnlyTheCopyFunctionWrites",
                ["s3:PutObject"],
                {"ArnNotEquals": {"aws:PrincipalArn": self.copy.role.role_arn}},
            ),
            (
                "CopiesAreWrittenOnce",
                ["s3:PutObject"],
                {"Null": {"s3:if-none-match": "true"}, "Bool": {"s3:ObjectCreationOperation": "true"}},
            ),
            ("CopiesAreNeverDeleted", list(_REMOVALS), None),
        ):
            self.bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=sid,
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=effect_on,
                    resources=objects,
                    conditions=conditions,
                )
            )
