"""EncryptedStore: a data key, an access-log bucket, and private buckets encrypted and logged with them."""

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_config.model import Registry
from mlops_constructs.access_log_bucket import AccessLogBucket
from mlops_constructs.encryption_key import EncryptionKey
from mlops_constructs.hardened_bucket import HardenedBucket

# Pipeline artifacts are working files of one execution: old versions are kept only this long.
PIPELINE_ARTIFACT_RETENTION = Duration.days(30)


class EncryptedStore(Construct):
    """The stateful base of the registry and of a stage account's data: construct IDs never change."""

    def __init__(
        self, scope: Construct, construct_id: str, *, key_description: str, registry: Registry
    ) -> None:
        super().__init__(scope, construct_id)
        self.encryption_key = EncryptionKey(self, "DataKey", description=key_description).key
        self.access_logs = AccessLogBucket(
            self, "AccessLogs", retention=Duration.days(registry.access_log_retention_days)
        ).bucket
        self._retention = Duration.days(registry.noncurrent_version_retention_days)

    def _bucket(self, construct_id: str, *, event_bridge_notifications: bool = False) -> s3.Bucket:
        """A versioned, private bucket with the key and the access logs; old versions kept a while."""
        return HardenedBucket(
            self,
            construct_id,
            encryption_key=self.encryption_key,
            access_logs=self.access_logs,
            noncurrent_version_retention=self._retention,
            event_bridge_notifications=event_bridge_notifications,
        ).bucket

    def pipeline_artifacts(
        self, scope: Construct, construct_id: str, *, encryption_key: kms.IKey | None = None
    ) -> s3.Bucket:
        """A pipeline's artifact bucket in `scope`, with this store's access logs and its key (or the key
        given, e.g. this key by an alias)."""
        return HardenedBucket(
            scope,
            construct_id,
            encryption_key=encryption_key or self.encryption_key,
            access_logs=self.access_logs,
            noncurrent_version_retention=PIPELINE_ARTIFACT_RETENTION,
        ).bucket
