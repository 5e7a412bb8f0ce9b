"""Records compliance acknowledgements next to the resources they are about, each with its reason."""

import json
import weakref
from collections.abc import Mapping
from typing import Any

from aws_cdk import Acknowledgment, CfnResource, Stack, Token, Validations
from constructs import IConstruct

from mlops_constructs.cfn_text import cfn_text

_PLACEHOLDER = "<AWS::"
# A stack's environment is fixed when it is created, so its literals can be kept; weak, so apps can go.
_LITERALS: "weakref.WeakKeyDictionary[Stack, tuple[tuple[str, str], ...]]" = weakref.WeakKeyDictionary()
# The three regulatory packs name most of their shared rules identically after the prefix.
REGULATORY_PACKS = ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")


def acknowledge(construct: IConstruct, rules: Mapping[str, str]) -> None:
    """Acknowledge cdk-nag rule ids (or `rule[finding]`) on the construct's own CloudFormation resource.

    Targeting the L1 keeps the acknowledgement off sibling resources (a bucket's policy, a role's policy).
    """
    target = _cfn_resource(construct)
    literals = _stack_literals(Stack.of(target)) if any(_PLACEHOLDER in rule for rule in rules) else ()
    Validations.of(target).acknowledge(
        *(Acknowledgment(id=_in_stack_terms(rule, literals), reason=reason) for rule, reason in rules.items())
    )


def _in_stack_terms(rule: str, literals: tuple[tuple[str, str], ...]) -> str:
    """The finding id as cdk-nag prints it for this stack: a stack with an explicit account and region
    renders ARNs with literal partition, region and account where an agnostic one has placeholders."""
    for placeholder, value in literals:
        rule = rule.replace(placeholder, value)
    return rule


def _stack_literals(stack: Stack) -> tuple[tuple[str, str], ...]:
    """The placeholders the stack renders as literals, with their values: asked of jsii once per stack (six
    calls into its node process each time, for each of the app's ~400 acknowledged rules, cost a second)."""
    if stack not in _LITERALS:
        values = [
            ("<AWS::Partition>", stack.partition),
            ("<AWS::Region>", stack.region),
            ("<AWS::AccountId>", stack.account),
        ]
        _LITERALS[stack] = tuple((key, value) for key, value in values if not Token.is_unresolved(value))
    return _LITERALS[stack]


def in_regulatory_packs(rule: str, reason: str, packs: tuple[str, ...] = REGULATORY_PACKS) -> dict[str, str]:
    """The same rule, for example `S3BucketReplicationEnabled`, as named by each regulatory pack."""
    return {f"{pack}-{rule}": reason for pack in packs}


def iam5_resource(construct: IConstruct, suffix: str, attribute: str = "Arn") -> str:
    """AwsSolutions-IAM5 finding id of a wildcard under a resource attribute, e.g. `<Bucket.Arn>/models/*`."""
    resource = _cfn_resource(construct)
    return f"AwsSolutions-IAM5[Resource::<{Stack.of(resource).get_logical_id(resource)}.{attribute}>{suffix}]"


def iam5_arn(service: str, resource: str, account: str = "<AWS::AccountId>") -> str:
    """AwsSolutions-IAM5 finding id of a region- and account-scoped wildcard ARN, as cdk-nag prints it."""
    return f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:{service}:<AWS::Region>:{account}:{resource}]"


def role_policy(role: IConstruct) -> IConstruct:
    """Where CDK puts a role's grants: a created role's "DefaultPolicy", an imported role's "Policy…"."""
    found = try_role_policy(role)
    assert found is not None, f"{role.node.path} has no policy yet"
    return found


def try_role_policy(role: IConstruct) -> IConstruct | None:
    """`role_policy`, or None while nothing has been granted to the role."""
    default = role.node.try_find_child("DefaultPolicy")
    imported = (child for child in role.node.children if child.node.id.startswith("Policy"))
    return default or next(imported, None)


def skip_checkov(construct: IConstruct, checks: Mapping[str, str]) -> None:
    """Skip checkov checks on the construct's CloudFormation resource, with the reason in its metadata."""
    skips = [{"id": check, "comment": reason} for check, reason in checks.items()]
    _cfn_resource(construct).add_metadata("checkov", {"skip": skips})


def _cfn_resource(construct: IConstruct) -> CfnResource:
    if isinstance(construct, CfnResource):
        return construct
    child = construct.node.default_child
    assert isinstance(child, CfnResource), f"{construct.node.path} has no CloudFormation resource"
    return child


def iam5_token(scope: IConstruct, resource: str) -> str:
    """AwsSolutions-IAM5 finding id of a resource built from intrinsics, rendered the way cdk-nag prints it:
    joins flattened, references as `<Name>` or `<Logical.Attribute>`, other functions as compact JSON."""
    text = cfn_text(Stack.of(scope).resolve(resource), reference=_as_nag_prints, other=_compact_json)
    return f"AwsSolutions-IAM5[Resource::{text}]"


def _as_nag_prints(name: str) -> str:
    return f"<{name}>"


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
