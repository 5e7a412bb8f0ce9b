"""HardenedBucket: an S3 bucket with the encryption, TLS, logging and lifecycle compliance packs ask for."""

from aws_cdk import Duration, PhysicalName
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_constructs.access_log_bucket import PRIVATE_BUCKET
from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs

_REPLICATION_REASON = (
    "Cross-region replication is a disaster-recovery choice for the platform team; the bucket is "
    "versioned and retained, and replication can be added without replacing it."
)


class HardenedBucket(Construct):
    """A versioned, private, TLS-only, KMS-encrypted, access-logged bucket that is retained on delete."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: kms.IKey,
        access_logs: s3.IBucket,
        noncurrent_version_retention: Duration,
        event_bridge_notifications: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=PhysicalName.GENERATE_IF_NEEDED,  # named only when another account refers to it
            encryption=s3.BucketEncryption.KMS,
            encryption_key=encryption_key,
            bucket_key_enabled=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{construct_id}/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    noncurrent_version_expiration=noncurrent_version_retention,
                    abort_incomplete_multipart_upload_after=Duration.days(7),
                )
            ],
            **PRIVATE_BUCKET,
        )
        if event_bridge_notifications:
            self._notify_event_bridge()
        acknowledge(self.bucket, in_regulatory_packs("S3BucketReplicationEnabled", _REPLICATION_REASON))
        self._deny_other_encryption(encryption_key)

    def _notify_event_bridge(self) -> None:
        """Send the bucket's object events to EventBridge."""
        # Set on the L1 so no notification custom resource (a hidden Lambda) is created.
        cfn_bucket = self.bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            event_bridge_configuration=s3.CfnBucket.EventBridgeConfigurationProperty(
                event_bridge_enabled=True
            )
        )

    def _deny_other_encryption(self, key: kms.IKey) -> None:
        """Refuse puts that ask for another encryption or another key (or SSE-KMS with the AWS-managed key).

        Puts without encryption headers stay allowed: default encryption applies the bucket's key to them,
        so a plain `aws s3 cp` keeps working.
        """
        sse, key_id = "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"
        for sid, condition in (
            ("DenyOtherEncryption", {"StringNotEqualsIfExists": {sse: "aws:kms"}}),
            ("DenyOtherKey", {"ArnNotEqualsIfExists": {key_id: key.key_arn}}),
            ("DenyAwsManagedKey", {"StringEquals": {sse: "aws:kms"}, "Null": {key_id: "true"}}),
        ):
            self.bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=sid,
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["s3:PutObject"],
                    resources=[self.bucket.arn_for_objects("*")],
                    conditions=condition,
                )
            )
