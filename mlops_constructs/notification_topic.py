"""NotificationTopic: the encrypted SNS topic that carries every orchestrator notification."""

from aws_cdk import PhysicalName
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct


class NotificationTopic(Construct):
    """A KMS-encrypted, TLS-only topic with optional e-mail subscribers."""

    def __init__(
        self, scope: Construct, construct_id: str, *, encryption_key: kms.IKey, emails: tuple[str, ...]
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=PhysicalName.GENERATE_IF_NEEDED,  # named only when another account refers to it
            master_key=encryption_key,
            enforce_ssl=True,
        )
        for email in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
