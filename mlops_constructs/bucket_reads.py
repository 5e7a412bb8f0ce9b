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
from constructs import IConstruct

from mlops_constructs.acknowledge import acknowledge, iam5_resource, role_policy
from mlops_constructs.service_trust import grant_key_via, via_services
from mlops_contract.pipeline import model_role_path

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

    def statements(
        self, scope: IConstruct, patterns: Sequence[str], actions: Sequence[str] = READ_ACTIONS
    ) -> list[iam.PolicyStatement]:
        """The statements of `grant` for a policy that belongs to no role yet (a permissions boundary)."""
        resources = [self.bucket.arn_for_objects(pattern) for pattern in patterns]
        return [
            iam.PolicyStatement(actions=list(actions), resources=resources),
            iam.PolicyStatement(
                actions=["kms:Decrypt"], resources=[self.key.key_arn], conditions=via_services(scope, ["s3"])
            ),
        ]

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
        for statement in self.statements(role, patterns, actions):
            role.add_to_principal_policy(statement)
        reason = (
            "Keys of the tooling account, through S3 in its region only; its key policies name this role."
        )
        acknowledge(role_policy(role), {self.key_finding(): reason})
        self.readers.append((role, tuple(patterns)))

    def statements(
        self, scope: IConstruct, patterns: Sequence[str], actions: Sequence[str] = READ_ACTIONS
    ) -> list[iam.PolicyStatement]:
        """Object reads in buckets the tooling account owns, decrypted through S3 in its region."""
        owned = {"StringEquals": {"s3:ResourceAccount": self.account}}
        partition = Stack.of(scope).partition
        resources = [f"arn:{partition}:s3:::*/{pattern}" for pattern in patterns]
        via_s3 = {"StringEquals": {"kms:ViaService": f"s3.{self.region}.amazonaws.com"}}
        keys = f"arn:{partition}:kms:{self.region}:{self.account}:key/*"
        return [
            iam.PolicyStatement(actions=list(actions), resources=resources, conditions=owned),
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[keys], conditions=via_s3),
        ]

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


def model_roles_pattern(scope: IConstruct, account: str, stage: str) -> str:
    """The ARNs of a stage's per-model roles in its account (`arn:…:iam::<account>:role/mlops/<stage>/*`)."""
    return f"arn:{Stack.of(scope).partition}:iam::{account}:role{model_role_path(stage)}*"


def open_to_model_roles(
    bucket: s3.IBucket, key: kms.IKey, stages: Sequence[tuple[str, str]], patterns: Sequence[str], sid: str
) -> None:
    """Tooling side: the per-model roles of each (account, stage) may read the objects, through S3 only.

    Those roles are created in the stage account when a model is deployed, after this policy: no role can be
    named. The stage account is the principal, narrowed to the ARNs under the stage's path, which only that
    stage's CloudFormation role can create (with the stage's boundary).
    """
    by_account: dict[str, list[str]] = {}
    for account, stage in stages:
        by_account.setdefault(account, []).append(model_roles_pattern(bucket, account, stage))
    for index, (account, roles) in enumerate(sorted(by_account.items())):
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"{sid}{index}",
                principals=[iam.AccountPrincipal(account)],
                actions=list(READ_ACTIONS),
                resources=[bucket.arn_for_objects(pattern) for pattern in patterns],
                conditions={"ArnLike": {"aws:PrincipalArn": roles}},
            )
        )
    if by_account:
        _open_key(key, by_account, bucket.stack.region, sid)


def _open_key(key: kms.IKey, by_account: dict[str, list[str]], region: str, sid: str) -> None:
    """The key decrypts for those roles, through S3 in the bucket's region only."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=f"{sid}Key",
            principals=[iam.AccountPrincipal(account) for account in sorted(by_account)],
            actions=["kms:Decrypt"],
            resources=["*"],  # in a key policy "*" means this key
            conditions={
                "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
                "ArnLike": {"aws:PrincipalArn": [r for roles in by_account.values() for r in roles]},
            },
        )
    )
