"""StageData: what a stage account keeps of its own — data key, captured traffic, reports, alarm topic."""

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_config.model import Registry
from mlops_constructs.access_log_bucket import AccessLogBucket
from mlops_constructs.bucket_reads import ToolingReads
from mlops_constructs.encryption_key import EncryptionKey
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.notification_topic import NotificationTopic


class StageData(Construct):
    """Production data stays in its account: capture and reports live here, encrypted with a key of its own.

    Stateful, like the registry: these construct IDs must never change. The tooling pipelines pass the key
    to the endpoint blueprint by its alias (key ARNs are generated and cannot be named from another
    account); SageMaker and EventBridge Scheduler accept an alias ARN wherever they take the key.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        project_name: str,
        registry: Registry,
        tooling: ToolingReads,
    ) -> None:
        super().__init__(scope, construct_id)
        self.encryption_key = EncryptionKey(
            self, "DataKey", description=f"{project_name}: this stage's captured data, reports and logs"
        ).key
        self.key_alias = kms.Alias(
            self,
            "DataKeyAlias",
            alias_name=f"alias/{project_name}/stage-data",
            target_key=self.encryption_key,
        )
        self.access_logs = AccessLogBucket(
            self, "AccessLogs", retention=Duration.days(registry.access_log_retention_days)
        ).bucket
        retention = Duration.days(registry.noncurrent_version_retention_days)
        self.data_capture_bucket = self._bucket("DataCapture", retention)
        self.reports_bucket = self._bucket("Reports", retention)
        # Alarms of this account's endpoints and functions; people hear of them through the tooling account.
        self.notifications = NotificationTopic(
            self, "Alarms", encryption_key=self.encryption_key, emails=()
        ).topic
        self.registry_reads = tooling

    def _bucket(self, construct_id: str, retention: Duration) -> s3.Bucket:
        return HardenedBucket(
            self,
            construct_id,
            encryption_key=self.encryption_key,
            access_logs=self.access_logs,
            noncurrent_version_retention=retention,
        ).bucket
