"""EncryptionKey: the customer-managed KMS key that encrypts the orchestrator's data at rest."""

from typing import Any

import jsii
from aws_cdk import ArnFormat, Aspects, Aws, Duration, IAspect, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct, IConstruct

LOG_DELIVERY = "delivery.logs.amazonaws.com"
# Services that publish to the encrypted notification topic and must be able to use the key for it.
_PUBLISHING_SERVICES = ("events.amazonaws.com", "cloudwatch.amazonaws.com")


class EncryptionKey(Construct):
    """A rotating, retained KMS key usable by the services that write to our encrypted resources."""

    def __init__(self, scope: Construct, construct_id: str, *, description: str) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "Key",
            description=description,
            enable_key_rotation=True,
            pending_window=Duration.days(30),
            removal_policy=RemovalPolicy.RETAIN,
        )
        self._allow_publishing_services()
        self._allow_cloudwatch_logs()
        Aspects.of(self).add(_ConditionLogDelivery(self.key))

    def _allow_publishing_services(self) -> None:
        """EventBridge and CloudWatch alarms publish to the encrypted topic of this account."""
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowServicesPublishingToEncryptedTopics",
                principals=[iam.ServicePrincipal(service) for service in _PUBLISHING_SERVICES],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy "*" means this key
                conditions={"StringEquals": {"aws:SourceAccount": self.key.stack.account}},
            )
        )

    def _allow_cloudwatch_logs(self) -> None:
        """CloudWatch Logs of this region encrypts this account's log groups with the key."""
        stack = self.key.stack
        log_groups = stack.format_arn(
            service="logs", resource="log-group", resource_name="*", arn_format=ArnFormat.COLON_RESOURCE_NAME
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchLogsOfThisAccount",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=[
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                resources=["*"],
                conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
            )
        )


@jsii.implements(IAspect)
class _ConditionLogDelivery:
    """Give the log-delivery grant that Step Functions adds to the key (without conditions) its conditions.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html (key policy for
    log delivery): `aws:SourceAccount` and `aws:SourceArn` `arn:<partition>:logs:<region>:<account>:*`.
    The statement is added inside aws-cdk-lib, so the resolved key policy is rewritten once it is complete.
    """

    def __init__(self, key: kms.Key) -> None:
        self._key = key

    def visit(self, node: IConstruct) -> None:
        """Rewrite the key policy of our key's CloudFormation resource."""
        # Aspects visit every construct below; the type test costs nothing, each tree lookup a call into jsii.
        if not isinstance(node, kms.CfnKey):
            return
        child = self._key.node.default_child
        if child is None or node.node.path != child.node.path:
            return
        stack = Stack.of(node)
        document: dict[str, Any] = stack.resolve(node.key_policy)
        condition = {
            "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
            "ArnLike": {"aws:SourceArn": stack.format_arn(service="logs", resource="*")},
        }
        for statement in document.get("Statement", []):
            if statement.get("Principal") == {"Service": LOG_DELIVERY} and "Condition" not in statement:
                statement["Condition"] = stack.resolve(condition)
        node.key_policy = document
