"""StageData: what a stage account keeps of its own — data key, captured traffic, reports, alarm topic."""

from aws_cdk import aws_kms as kms
from constructs import Construct

from mlops_config.model import Registry
from mlops_constructs.bucket_reads import ToolingReads
from mlops_constructs.encrypted_store import EncryptedStore
from mlops_constructs.notification_topic import NotificationTopic


class StageData(EncryptedStore):
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
        description = f"{project_name}: this stage's captured data, reports and logs"
        super().__init__(scope, construct_id, key_description=description, registry=registry)
        alias = f"alias/{project_name}/stage-data"
        self.key_alias = kms.Alias(self, "DataKeyAlias", alias_name=alias, target_key=self.encryption_key)
        self.data_capture_bucket = self._bucket("DataCapture")
        self.reports_bucket = self._bucket("Reports")
        # Alarms of this account's endpoints and functions; people hear of them through the tooling account.
        self.notifications = NotificationTopic(
            self, "Alarms", encryption_key=self.encryption_key, emails=()
        ).topic
        self.registry_reads = tooling
