"""ModelRegistry: the stateful core — key, registry/capture/report buckets, access logs, notifications."""

from aws_cdk import Duration
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_config.model import Notifications, Registry
from mlops_constructs.access_log_bucket import AccessLogBucket
from mlops_constructs.bucket_reads import LocalReads
from mlops_constructs.encryption_key import EncryptionKey
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.notification_topic import NotificationTopic

# Endpoints capture to s3://<data-capture bucket>/capture/<endpoint>/<variant>/yyyy/mm/dd/hh/.
CAPTURE_PREFIX = "capture"
# Asynchronous endpoints write their answers under this prefix of the data-capture bucket.
ASYNC_OUTPUT_PREFIX = "async-output/"


class ModelRegistry(Construct):
    """Stateful resources; the construct IDs here are part of the upgrade contract and must never change."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        project_name: str,
        registry: Registry,
        notifications: Notifications,
    ) -> None:
        super().__init__(scope, construct_id)
        self.encryption_key = EncryptionKey(
            self, "DataKey", description=f"{project_name}: models, captured data, reports, notifications"
        ).key
        self.access_logs = AccessLogBucket(
            self, "AccessLogs", retention=Duration.days(registry.access_log_retention_days)
        ).bucket
        retention = Duration.days(registry.noncurrent_version_retention_days)
        self.registry_bucket = self._bucket("ModelRegistry", retention, event_bridge_notifications=True)
        self.registry_reads = LocalReads(self.registry_bucket, self.encryption_key)
        self.data_capture_bucket = self._bucket("DataCapture", retention)
        self.reports_bucket = self._bucket("Reports", retention)
        self.notifications = NotificationTopic(
            self, "Notifications", encryption_key=self.encryption_key, emails=notifications.emails
        ).topic

    def _bucket(
        self, construct_id: str, retention: Duration, *, event_bridge_notifications: bool = False
    ) -> s3.Bucket:
        return HardenedBucket(
            self,
            construct_id,
            encryption_key=self.encryption_key,
            access_logs=self.access_logs,
            noncurrent_version_retention=retention,
            event_bridge_notifications=event_bridge_notifications,
        ).bucket
