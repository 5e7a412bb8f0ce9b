"""Rules for stages placed in a region other than the tooling region.

A stage in another region gets a regional copy of each artifact it deploys, made by a function in the
stage's account that streams the sealed artifact from the tooling region while hashing it; the rules
below refuse what that design cannot serve, each naming the field.
"""

from collections.abc import Sequence

from mlops_manifest.image_policy import partition_of
from mlops_manifest.images import image_table

# The regional copy streams the artifact through one Lambda invocation (15 minutes at most). At a
# conservative 40 MB/s between regions that is about 36 GB; half of it leaves room for slow days.
MAX_REMOTE_REGION_ARTIFACT_MIB = 20480


def sagemaker_image_regions() -> frozenset[str]:
    """Regions where SageMaker publishes the framework images the registry resolves (the image table)."""
    return frozenset(region for registry in image_table()["registries"].values() for region in registry)


def region_problems(
    tooling_region: str | None,
    placed: Sequence[tuple[int, str, str | None, str | None]],
    max_artifact_mib: int,
) -> list[str]:
    """What is wrong with stages in other regions; `placed`: (index, name, account, region) per stage."""
    elsewhere = [
        (f"stages.{index}.region ({name}: {region})", account, region)
        for index, name, account, region in placed
        if region is not None and region != tooling_region
    ]
    problems = [
        f"{where} is not the tooling region: name the stage's account too "
        "(a stage in another region deploys into an account of its own target stack)"
        for where, account, region in elsewhere
        if account is None
    ]
    known = sagemaker_image_regions()
    problems += [
        f"{where} is not a region where SageMaker publishes its framework images; "
        f"choose one of {', '.join(sorted(known))}"
        for where, _, region in elsewhere
        if region not in known
    ]
    home = partition_of(tooling_region or "")
    problems += [
        f"{where} is in another AWS partition than the tooling region {tooling_region}"
        for where, _, region in elsewhere
        if region in known and home is not None and partition_of(region) != home
    ]
    if elsewhere and max_artifact_mib > MAX_REMOTE_REGION_ARTIFACT_MIB:
        problems.append(
            f"registry.max_artifact_mib ({max_artifact_mib}) is above {MAX_REMOTE_REGION_ARTIFACT_MIB} while "
            "a stage is in another region: its artifacts are copied there by one function run (15 minutes)"
        )
    return problems
