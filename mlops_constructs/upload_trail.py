"""UploadTrail: CloudTrail data events of puts under models/, so every upload names the identity behind it.

S3's `Object Created` event names only the requester's account. Separation of duties needs the person, so
a trail records write data events on the registry bucket's models/ prefix (no management events: the
account's own trail keeps those), and a rule hands CloudTrail's record of each put to the register
function, which keeps it under the sealed uploaders/ prefix.
"""

from typing import Any

import jsii
from aws_cdk import Aspects, Aws, CfnResource, Duration, IAspect, Stack
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct

from lambdas.common.events import rule_pattern
from lambdas.register.upload_identity import CLOUDTRAIL_DETAIL_TYPE, PUT_EVENTS
from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs, skip_checkov
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.orchestrator_function import OrchestratorFunction, audit_log_group

UPLOADS_PREFIX = "models/"


class UploadTrail(Construct):
    """A single-region trail of writes under models/ and the rule that records who made each one."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        registry_bucket: s3.IBucket,
        access_logs: s3.IBucket,
        encryption_key: kms.Key,
        recorder: OrchestratorFunction,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_bucket = HardenedBucket(
            self,
            "TrailFiles",
            encryption_key=encryption_key,
            access_logs=access_logs,
            noncurrent_version_retention=Duration.days(365),
        ).bucket
        self.trail = self._trail(registry_bucket, encryption_key)
        self._let_cloudtrail_use_the_key(encryption_key)
        Aspects.of(self).add(_ConditionTrailDelivery(self.log_bucket))
        self.rule = self._rule(registry_bucket, recorder)

    def _rule(self, registry_bucket: s3.IBucket, recorder: OrchestratorFunction) -> events.Rule:
        """CloudTrail's record of each put under models/ goes to the register function."""
        return recorder.trigger(
            self,
            "UploadRecorded",
            description="CloudTrail recorded a put under models/ in the registry bucket: keep who made it",
            pattern=rule_pattern(
                "aws.s3",
                [CLOUDTRAIL_DETAIL_TYPE],
                {
                    "eventSource": ["s3.amazonaws.com"],
                    "eventName": list(PUT_EVENTS),
                    "requestParameters": {
                        "bucketName": [registry_bucket.bucket_name],
                        "key": [{"prefix": UPLOADS_PREFIX}],
                    },
                },
            ),
        )

    def _trail(self, registry_bucket: s3.IBucket, encryption_key: kms.Key) -> cloudtrail.Trail:
        """Write data events under models/ only, encrypted, validated, also sent to CloudWatch Logs."""
        trail = cloudtrail.Trail(
            self,
            "Trail",
            bucket=self.log_bucket,
            encryption_key=encryption_key,
            enable_file_validation=True,
            include_global_service_events=False,
            is_multi_region_trail=False,
            management_events=cloudtrail.ReadWriteType.NONE,
            send_to_cloud_watch_logs=True,
            cloud_watch_log_group=audit_log_group(self, encryption_key),
        )
        trail.add_s3_event_selector(
            [cloudtrail.S3EventSelector(bucket=registry_bucket, object_prefix=UPLOADS_PREFIX)],
            include_management_events=False,
            read_write_type=cloudtrail.ReadWriteType.WRITE_ONLY,
        )
        logs_policy = trail.node.find_child("LogsRole").node.find_child("DefaultPolicy")
        reason = "CDK-generated policy bound one-to-one to the trail's log-delivery role."
        acknowledge(logs_policy, in_regulatory_packs("IAMNoInlinePolicy", reason))
        self._depend_on_policies_only(trail, logs_policy)
        multi_region = "Records data events of one bucket in this region; the account's own multi-region "
        skip_checkov(trail, {"CKV_AWS_67": multi_region + "trail keeps management events."})
        return trail

    def _depend_on_policies_only(self, trail_construct: cloudtrail.Trail, logs_policy: IConstruct) -> None:
        """The logs role is already a GetAtt of the trail (cfn-lint W3005): keep only the policies."""
        assert self.log_bucket.policy is not None
        trail = trail_construct.node.default_child
        policies = [logs_policy.node.default_child, self.log_bucket.policy.node.default_child]
        assert isinstance(trail, CfnResource)
        stack = Stack.of(self)
        trail.add_override(
            "DependsOn", [stack.get_logical_id(p) for p in policies if isinstance(p, CfnResource)]
        )

    def _let_cloudtrail_use_the_key(self, key: kms.Key) -> None:
        """CloudTrail encrypts the log files with the data key, for trails of this account only.

        https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html:
        `kms:GenerateDataKey*` conditioned on the trail encryption context and `aws:SourceArn`, and
        `kms:DescribeKey`.
        """
        trails = Stack.of(self).format_arn(service="cloudtrail", resource="trail", resource_name="*")
        this_account = {"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}
        encrypt = {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails}, **this_account}
        for sid, action, conditions in (
            (
                "AllowCloudTrailOfThisAccountToEncryptLogs",
                "kms:GenerateDataKey*",
                {**encrypt, "ArnLike": {"aws:SourceArn": trails}},
            ),
            ("AllowCloudTrailOfThisAccountToDescribeTheKey", "kms:DescribeKey", this_account),
        ):
            key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=sid,
                    principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                    actions=[action],
                    resources=["*"],
                    conditions=conditions,
                )
            )


@jsii.implements(IAspect)
class _ConditionTrailDelivery:
    """Give the CloudTrail grants that aws-cdk-lib adds to the trail's bucket policy their source conditions.

    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html:
    `aws:SourceArn` naming the trail (here: any trail of this account and region, since naming this trail
    in its own bucket's policy would be a dependency cycle) and the bucket owner's account.
    """

    def __init__(self, bucket: s3.Bucket) -> None:
        self._bucket = bucket

    def visit(self, node: IConstruct) -> None:
        """Rewrite the statements of the trail bucket's policy that grant CloudTrail."""
        # Aspects visit every construct below; the type test costs nothing, each tree lookup a call into jsii.
        if not isinstance(node, s3.CfnBucketPolicy):
            return
        policy = self._bucket.policy
        if policy is None or node.node.path != policy.node.default_child.node.path:  # type: ignore[union-attr]
            return
        stack = Stack.of(node)
        document: dict[str, Any] = stack.resolve(node.policy_document)
        trails = stack.format_arn(service="cloudtrail", resource="trail", resource_name="*")
        source = {"aws:SourceAccount": Aws.ACCOUNT_ID}
        for statement in document.get("Statement", []):
            if statement.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}:
                condition = statement.setdefault("Condition", {})
                condition.setdefault("StringEquals", {}).update(stack.resolve(source))
                condition["ArnLike"] = {"aws:SourceArn": stack.resolve(trails)}
        node.policy_document = document
