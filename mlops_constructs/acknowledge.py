"""Records cdk-nag acknowledgements next to the resources they are about, each with its reason."""

from collections.abc import Mapping

from aws_cdk import Acknowledgment, CfnResource, Validations
from constructs import IConstruct

# The three regulatory packs name most of their shared rules identically after the prefix.
REGULATORY_PACKS = ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")


def acknowledge(construct: IConstruct, rules: Mapping[str, str]) -> None:
    """Acknowledge each rule id (or `rule[finding]`) on `construct` with the reason given for it."""
    Validations.of(construct).acknowledge(*(Acknowledgment(id=rule, reason=reason) for rule, reason in rules.items()))


def in_regulatory_packs(rule: str, reason: str, packs: tuple[str, ...] = REGULATORY_PACKS) -> dict[str, str]:
    """The same rule, for example `S3BucketReplicationEnabled`, as named by each regulatory pack."""
    return {f"{pack}-{rule}": reason for pack in packs}


def skip_checkov(construct: IConstruct, checks: Mapping[str, str]) -> None:
    """Skip checkov checks on the construct's CloudFormation resource, recording the reason in its metadata."""
    resource = construct.node.default_child if isinstance(construct.node.default_child, CfnResource) else construct
    assert isinstance(resource, CfnResource), f"{construct.node.path} has no CloudFormation resource"
    skips = [{"id": check, "comment": reason} for check, reason in checks.items()]
    resource.add_metadata("checkov", {"skip": skips})
