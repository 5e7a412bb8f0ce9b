"""Seal the registry bucket's registered prefixes: one writer, no deletions, whoever asks."""

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from mlops_contract.registry_layout import SEALED_PREFIXES

# Deleting a current version would leave a delete marker and let the lifecycle rule expire the bytes.
_REMOVALS = ("s3:DeleteObject", "s3:DeleteObjectVersion")


def seal_registered_prefixes(bucket: s3.Bucket, writer: iam.IRole) -> None:
    """Only `writer` may put under the sealed prefixes, and nobody may delete there.

    A bucket policy deny binds every principal of the account, administrators and the pipelines'
    roles included, so what a package deploys cannot change after registration.
    """
    objects = [bucket.arn_for_objects(f"{prefix}*") for prefix in SEALED_PREFIXES]
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="OnlyRegistrationWritesRegisteredObjects",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["s3:PutObject"],
            resources=objects,
            conditions={"ArnNotEquals": {"aws:PrincipalArn": writer.role_arn}},
        )
    )
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="RegisteredObjectsAreNeverDeleted",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=list(_REMOVALS),
            resources=objects,
        )
    )
