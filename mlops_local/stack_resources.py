"""Creates the tooling stack's resources in moto from their synthesized template definitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import ACCOUNT, REGION


class Clients(Protocol):
    """Where resources are created: the local AWS itself (tooling account) or a role of another account."""

    def client(self, service: str) -> Any: ...


Creator = Callable[[Clients, ResourceMap, str, dict[str, Any]], None]
# The name properties local mode honours on the resources it only names (stage roles and functions are
# named in the templates that call them from another account).
_NAME_PROPERTIES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::SQS::Queue": "QueueName",
}


def _template_name(props: dict[str, Any], key: str) -> str | None:
    """The template's literal name for a resource, if it gives one."""
    value = props.get(key)
    return value if isinstance(value, str) else None


def _bucket(aws: Clients, resources: ResourceMap, logical_id: str, props: dict[str, Any]) -> None:
    """A bucket with the template's name, encryption, versioning and EventBridge notification settings."""
    s3, name = aws.client("s3"), _template_name(props, "BucketName") or resources.name_for(logical_id).lower()
    s3.create_bucket(Bucket=name)
    if encryption := props.get("BucketEncryption"):
        # CloudFormation's ServerSideEncryptionByDefault is the API's ApplyServerSideEncryptionByDefault.
        rules = [
            {
                **{k: v for k, v in rule.items() if k != "ServerSideEncryptionByDefault"},
                "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
            }
            for rule in resources.resolve(encryption["ServerSideEncryptionConfiguration"])
        ]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    notifications = props.get("NotificationConfiguration", {})
    if notifications.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
    resources.add(logical_id, name, Arn=f"arn:aws:s3:::{name}", DomainName=f"{name}.s3.amazonaws.com")


def _key(aws: Clients, resources: ResourceMap, logical_id: str, props: dict[str, Any]) -> None:
    """A KMS key (its policy is not evaluated by moto, so it is not passed)."""
    key = aws.client("kms").create_key(Description=props.get("Description", logical_id))["KeyMetadata"]
    resources.add(logical_id, key["KeyId"], Arn=key["Arn"])


def _topic(aws: Clients, resources: ResourceMap, logical_id: str, props: dict[str, Any]) -> None:
    """An SNS topic with the template's KMS key."""
    attributes = (
        {"KmsMasterKeyId": resources.resolve(props["KmsMasterKeyId"])} if "KmsMasterKeyId" in props else {}
    )
    name = _template_name(props, "TopicName") or resources.name_for(logical_id, 256)
    arn = aws.client("sns").create_topic(Name=name, Attributes=attributes)
    resources.add(logical_id, arn["TopicArn"], TopicName=arn["TopicArn"].rsplit(":", 1)[1])


def _bus(aws: Clients, resources: ResourceMap, logical_id: str, props: dict[str, Any]) -> None:
    """The orchestrator's event bus, with the template's name."""
    name = resources.resolve(props.get("Name")) or resources.name_for(logical_id)
    arn = aws.client("events").create_event_bus(Name=name)["EventBusArn"]
    resources.add(logical_id, name, Arn=arn, Name=name)


def _table(aws: Clients, resources: ResourceMap, logical_id: str, props: dict[str, Any]) -> None:
    """A DynamoDB table with the template's keys and billing mode."""
    name = resources.name_for(logical_id, 255)
    table = aws.client("dynamodb").create_table(
        TableName=name,
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        BillingMode=props.get("BillingMode", "PAY_PER_REQUEST"),
    )["TableDescription"]
    resources.add(logical_id, name, Arn=table["TableArn"])


CREATORS: dict[str, Creator] = {
    "AWS::KMS::Key": _key,
    "AWS::S3::Bucket": _bucket,
    "AWS::SNS::Topic": _topic,
    "AWS::Events::EventBus": _bus,
    "AWS::DynamoDB::Table": _table,
}
# Created first: the others refer to them (buckets, the topic and the table to the key).
_ORDER = (
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::Events::EventBus",
    "AWS::DynamoDB::Table",
)


def create_resources(
    aws: Clients, template: dict[str, Any], stack_name: str, account: str = ACCOUNT
) -> ResourceMap:
    """Create what the local flow needs; every other resource gets a name and ARN to resolve against."""
    resources = ResourceMap(stack_name, account=account)
    items = template["Resources"].items()
    for logical_id, resource in items:
        kind = resource["Type"]
        if kind not in CREATORS:
            name = _template_name(resource.get("Properties", {}), _NAME_PROPERTIES.get(kind, ""))
            resources.add_named(logical_id, kind, name)
    for resource_type in _ORDER:
        for logical_id, resource in items:
            if resource["Type"] == resource_type:
                CREATORS[resource_type](aws, resources, logical_id, resource.get("Properties", {}))
    return resources


def outputs(template: dict[str, Any], resources: ResourceMap) -> dict[str, str]:
    """The stack's outputs, resolved (registry bucket name, topic ARN, pipeline names...)."""
    return {
        name: str(resources.resolve(output["Value"])) for name, output in template.get("Outputs", {}).items()
    }


__all__ = ["ACCOUNT", "REGION", "ResourceMap", "create_resources", "outputs"]
