"""AccessLogBucket: the destination of every other bucket's S3 server access logs."""

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs, skip_checkov

# What every bucket of the orchestrator is: TLS-only, private, owned by this account, versioned, retained.
PRIVATE_BUCKET: dict[str, Any] = {
    "enforce_ssl": True,
    "minimum_tls_version": 1.2,
    "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
    "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    "versioned": True,
    "removal_policy": RemovalPolicy.RETAIN,
}
_NO_SELF_LOGGING = "This is the access-log destination; logging it into itself would loop."
_ACKNOWLEDGEMENTS = {
    **in_regulatory_packs(
        "S3DefaultEncryptionKMS", "S3 server access logging delivers only to SSE-S3 buckets."
    ),
    **in_regulatory_packs(
        "S3BucketReplicationEnabled",
        "Access logs are audit evidence kept in-region for their retention period.",
    ),
}


class AccessLogBucket(Construct):
    """A private, TLS-only, SSE-S3 bucket that keeps access logs for a fixed retention."""

    def __init__(self, scope: Construct, construct_id: str, *, retention: Duration) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=retention,
                    noncurrent_version_expiration=Duration.days(1),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                )
            ],
            **PRIVATE_BUCKET,
        )
        acknowledge(self.bucket, _ACKNOWLEDGEMENTS)
        skip_checkov(self.bucket, {"CKV_AWS_18": _NO_SELF_LOGGING})
