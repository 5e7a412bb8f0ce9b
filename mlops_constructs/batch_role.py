"""BatchRole: the SageMaker execution role of production's batch transform runs, and nothing else's."""

from collections.abc import Sequence

from aws_cdk import PhysicalName
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_resource
from mlops_constructs.bucket_reads import BucketReads
from mlops_constructs.sagemaker_role_policy import grant_job_runtime, grant_registered_artifacts
from mlops_constructs.service_trust import sagemaker_principal
from mlops_contract.batch_layout import BATCH_INPUT_PREFIX, BATCH_OUTPUT_PREFIX


class BatchRole(Construct):
    """Reads only `batch-input/` and writes only `batch-output/` of production's data bucket, uses the data
    key only through S3, and loads registered artifacts: the role a batch model and its transform job run as.

    A role of its own rather than the stage's jobs role: Model Monitor jobs never need production's batch
    data, and batch runs never need the monitoring reports.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        data_bucket: s3.IBucket,
        encryption_key: kms.IKey,
        registry: BucketReads,
        image_accounts: Sequence[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            role_name=PhysicalName.GENERATE_IF_NEEDED,  # named when the tooling account names it
            assumed_by=sagemaker_principal(self),
            description=f"Runs {stage} batch transform jobs: batch-input/ in, batch-output/ out",
        )
        self._data_access(data_bucket)
        grant_job_runtime(self.role, key=encryption_key, image_accounts=image_accounts)
        grant_registered_artifacts(self.role, registry)
        self._acknowledge_data(data_bucket)  # after the grants: their acknowledgements come first

    def _acknowledge_data(self, data_bucket: s3.IBucket) -> None:
        """The two prefix wildcards are the point of the role."""
        inputs, outputs = f"{BATCH_INPUT_PREFIX}*", f"{BATCH_OUTPUT_PREFIX}*"
        acknowledge(
            self.role.node.find_child("DefaultPolicy"),
            {
                iam5_resource(data_bucket, f"/{inputs}"): "Any run's input, under batch-input/ only.",
                iam5_resource(data_bucket, f"/{outputs}"): "Results of runs, under batch-output/ only.",
            },
        )

    def _data_access(self, data_bucket: s3.IBucket) -> None:
        """Read and list batch-input/, write batch-output/: nothing else of production's data."""
        inputs, outputs = f"{BATCH_INPUT_PREFIX}*", f"{BATCH_OUTPUT_PREFIX}*"
        self.role.add_to_policy(
            iam.PolicyStatement(actions=["s3:GetObject"], resources=[data_bucket.arn_for_objects(inputs)])
        )
        # An S3Prefix data source lists the objects under the run's prefix first.
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket"],
                resources=[data_bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [inputs]}},
            )
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:PutObject", "s3:AbortMultipartUpload"],
                resources=[data_bucket.arn_for_objects(outputs)],
            )
        )
