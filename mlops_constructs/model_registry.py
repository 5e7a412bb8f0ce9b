"""ModelRegistry: the stateful core — key, registry/capture/report buckets, access logs, notifications."""

from constructs import Construct

from mlops_config.model import Notifications, Registry
from mlops_constructs.bucket_reads import LocalReads
from mlops_constructs.encrypted_store import EncryptedStore
from mlops_constructs.notification_topic import NotificationTopic

# Endpoints capture to s3://<data-capture bucket>/capture/<endpoint>/<variant>/yyyy/mm/dd/hh/.
CAPTURE_PREFIX = "capture"
# Asynchronous endpoints write their answers under this prefix of the data-capture bucket.
ASYNC_OUTPUT_PREFIX = "async-output/"


class ModelRegistry(EncryptedStore):
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
        description = f"{project_name}: models, captured data, reports, notifications"
        super().__init__(scope, construct_id, key_description=description, registry=registry)
        self.registry_bucket = self._bucket("ModelRegistry", event_bridge_notifications=True)
        self.registry_reads = LocalReads(self.registry_bucket, self.encryption_key)
        self.data_capture_bucket = self._bucket("DataCapture")
        self.reports_bucket = self._bucket("Reports")
        self.notifications = NotificationTopic(
            self, "Notifications", encryption_key=self.encryption_key, emails=notifications.emails
        ).topic
