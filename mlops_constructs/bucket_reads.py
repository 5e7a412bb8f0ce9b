"""Object reads of a role from the registry or the pipelines' artifacts: in its own account, or across.

A role in the tooling stack reads those buckets directly. A role in a stage account reads them across
accounts, which needs both sides to allow it: the stage side cannot name the tooling buckets (CloudFormation
names them, and names never cross accounts), so it allows object reads under the given key patterns only in
buckets the tooling account owns (`s3:ResourceAccount`), and key use only through S3 in the tooling region.
The tooling side then names each such role in the bucket and key policies (`open_to_readers`), so the read
works for those roles and nobody else.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from mlops_constructs.acknowledge import acknowledge, iam5_resource, role_policy
from mlops_constructs.service_trust import grant_key_via

READ_ACTIONS = ("s3:GetObject",)


@dataclass(frozen=True)
class LocalReads:
    """Reads of a bucket in the reader's own stack, decrypted through S3 with the bucket's key."""

    bucket: s3.IBucket
    key: kms.IKey

    def grant(self, role: iam.IRole, patterns: Sequence[str], actions: Sequence[str] = READ_ACTIONS) -> None:
        """Let `role` read the objects under the key patterns."""
        resources = [self.bucket.arn_for_objects(pattern) for pattern in patterns]
        role.add_to_principal_policy(iam.PolicyStatement(actions=list(actions), resources=resources))
        grant_key_via(role, self.key, ["s3"], "kms:Decrypt")

    def finding(self, pattern: str) -> str:
        """The AwsSolutions-IAM5 finding id of the grant for one pattern."""
        return iam5_resource(self.bucket, f"/{pattern}")


@dataclass(frozen=True)
class ToolingReads:
    """Reads, from a stage account, of buckets of the tooling account; records who reads what."""

    account: str
    region: str
    readers: list[tuple[iam.IRole, tuple[str, ...]]] = field(default_factory=list, compare=False)

    def grant(self, role: iam.IRole, patterns: Sequence[str], actions: Sequence[str] = READ_ACTIONS) -> None:
        """Let `role` read tooling objects under the key patterns; the tooling side must name it too."""
        owned = {"StringEquals": {"s3:ResourceAccount": self.account}}
        partition = Stack.of(role).partition
        resources = [f"arn:{partition}:s3:::*/{pattern}" for pattern in patterns]
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(actions), resources=resources, conditions=owned)
        )
        via_s3 = {"StringEquals": {"kms:ViaService": f"s3.{self.region}.amazonaws.com"}}
        keys = f"arn:{partition}:kms:{self.region}:{self.account}:key/*"
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[keys], conditions=via_s3)
        )
        reason = (
            "Keys of the tooling account, through S3 in its region only; its key policies name this role."
        )
        acknowledge(role_policy(role), {self.key_finding(): reason})
        self.readers.append((role, tuple(patterns)))

    def finding(self, pattern: str) -> str:
        """The AwsSolutions-IAM5 finding id of the grant for one pattern."""
        return f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::*/{pattern}]"

    def key_finding(self) -> str:
        """The AwsSolutions-IAM5 finding id of the tooling-key grant."""
        return f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:{self.region}:{self.account}:key/*]"


BucketReads = LocalReads | ToolingReads


def open_to_readers(
    bucket: s3.IBucket,
    key: kms.IKey,
    readers: Sequence[tuple[iam.IRole, tuple[str, ...]]],
    sid: str,
    actions: Sequence[str] = READ_ACTIONS,
) -> None:
    """Tooling side: each stage role may read the bucket's objects under its patterns, through S3 only."""
    for index, (role, patterns) in enumerate(readers):
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"{sid}{index}",
                principals=[iam.ArnPrincipal(role.role_arn)],
                actions=list(actions),
                resources=[bucket.arn_for_objects(pattern) for pattern in patterns],
            )
        )
    if readers:
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"{sid}Key",
                principals=[iam.ArnPrincipal(role.role_arn) for role, _ in readers],
                actions=["kms:Decrypt"],
                resources=["*"],  # in a key policy "*" means this key
                conditions={"StringEquals": {"kms:ViaService": f"s3.{bucket.stack.region}.amazonaws.com"}},
            )
        )
