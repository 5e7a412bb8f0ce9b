"""RegistryStack: the stateful core — key, model registry, capture and report buckets, notifications."""

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_config import OrchestratorConfig
from mlops_constructs.access_log_bucket import AccessLogBucket
from mlops_constructs.encryption_key import EncryptionKey
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.notification_topic import NotificationTopic


class RegistryStack(Stack):
    """Stateful resources; construct IDs here are part of the upgrade contract and must never change."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: OrchestratorConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, termination_protection=config.termination_protection, **kwargs)
        registry = config.registry
        self.encryption_key = EncryptionKey(
            self,
            "DataKey",
            description=f"{config.project_name}: models, captured data, reports, notifications",
        ).key
        self.access_logs = AccessLogBucket(
            self, "AccessLogs", retention=Duration.days(registry.access_log_retention_days)
        ).bucket
        retention = Duration.days(registry.noncurrent_version_retention_days)
        self.registry_bucket = self._bucket("ModelRegistry", retention, event_bridge_notifications=True)
        self.data_capture_bucket = self._bucket("DataCapture", retention)
        self.reports_bucket = self._bucket("Reports", retention)
        self.notifications = NotificationTopic(
            self, "Notifications", encryption_key=self.encryption_key, emails=config.notifications.emails
        ).topic

        CfnOutput(self, "RegistryBucketName", value=self.registry_bucket.bucket_name)
        CfnOutput(self, "DataCaptureBucketName", value=self.data_capture_bucket.bucket_name)
        CfnOutput(self, "ReportsBucketName", value=self.reports_bucket.bucket_name)
        CfnOutput(self, "NotificationTopicArn", value=self.notifications.topic_arn)
        CfnOutput(self, "DataKeyArn", value=self.encryption_key.key_arn)

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
