"""Which custom images a manifest may name: ECR in the registry's region and partition, trusted account.

Trusted accounts are AWS's SageMaker image accounts for the region (the image table) and the accounts the
platform team lists in config (`registry.image_accounts`); any other account's image was never reviewed.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache

from mlops_manifest.images import image_table
from mlops_manifest.problems import Problem, describe

PATH = "image_uri"


@cache
def partition_of(region: str) -> tuple[str, str] | None:
    """(partition id, DNS suffix) of a region, from botocore's partition table; None for an unknown region."""
    from botocore.loaders import Loader  # deferred: only custom images and image lookups need it

    for partition in Loader().load_data("partitions")["partitions"]:
        if re.match(partition["regionRegex"], region):
            return str(partition["id"]), str(partition["outputs"]["dnsSuffix"])
    return None


def dns_suffix(region: str) -> str:
    """The DNS suffix of the region's partition (amazonaws.com, amazonaws.com.cn, ...)."""
    found = partition_of(region)
    return found[1] if found else "amazonaws.com"


def aws_image_accounts(region: str) -> frozenset[str]:
    """AWS's accounts that publish SageMaker framework images in the region."""
    return frozenset(
        registry[region] for registry in image_table()["registries"].values() if region in registry
    )


def custom_image_problems(uri: str, region: str, allowed_accounts: Collection[str] | None) -> list[Problem]:
    """Every reason a custom image may not serve here; `allowed_accounts` None skips the account check
    (the CLI, which does not know the deployed config)."""
    account, _, _, image_region, suffix = uri.split("/", 1)[0].split(".", 4)
    problems = []
    if image_region != region:
        allowed = f"an ECR image in {region}, the registry's region"
        problems.append(Problem(PATH, describe(uri), allowed, "image_region"))
    partition = partition_of(region)
    if partition is not None and suffix != partition[1]:
        allowed = (
            f"an ECR host ending in .{partition[1]}, the DNS suffix of {region}'s partition ({partition[0]})"
        )
        problems.append(Problem(PATH, f"a host ending in .{suffix}", allowed, "image_partition"))
    if allowed_accounts is not None and account not in aws_image_accounts(region) | set(allowed_accounts):
        listed = ", ".join(sorted(allowed_accounts)) or "none listed"
        allowed = (
            f"an image from AWS's SageMaker image accounts for {region} or from an account the platform "
            f"team allows in config (registry.image_accounts: {listed})"
        )
        problems.append(Problem(PATH, f"an image in account {account}", allowed, "image_account"))
    return problems
