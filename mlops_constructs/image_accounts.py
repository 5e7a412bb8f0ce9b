"""ECR accounts SageMaker execution roles may pull from: AWS's image accounts per region, plus config."""

from collections.abc import Sequence
from typing import Any

from aws_cdk import Aws, CfnMapping, Stack
from constructs import IConstruct

from mlops_manifest.images import image_table

MAPPING_ID = "ImageAccounts"
_KEY = "accounts"


def framework_image_accounts() -> dict[str, list[str]]:
    """Region -> the AWS accounts that publish the framework and monitor images of the image table."""
    table = image_table()
    used = {
        entry["registry"]
        for framework in table["frameworks"].values()
        for entry in framework["versions"].values()
    }
    used |= {monitor["registry"] for monitor in table["monitors"].values()}
    accounts: dict[str, set[str]] = {}
    for registry in sorted(used):
        for region, account in table["registries"][registry].items():
            accounts.setdefault(region, set()).add(account)
    return {region: sorted(found) for region, found in sorted(accounts.items())}


def pull_condition(scope: IConstruct, extra_accounts: Sequence[str]) -> dict[str, Any]:
    """`aws:ResourceAccount` among the stack region's image accounts and `extra_accounts`.

    The region is a token in environment-agnostic stacks, so the accounts come from a mapping looked up
    at deploy time; a region the image table does not know fails the deployment instead of allowing any.
    """
    stack = Stack.of(scope)
    mapping = stack.node.try_find_child(MAPPING_ID)
    if mapping is None:
        per_region = {
            region: {_KEY: sorted({*accounts, *extra_accounts})}
            for region, accounts in framework_image_accounts().items()
        }
        mapping = CfnMapping(stack, MAPPING_ID, mapping=per_region)
    assert isinstance(mapping, CfnMapping)
    accounts = mapping.find_in_map(Aws.REGION, _KEY)
    return {"StringEquals": {"aws:ResourceAccount": accounts}}
