"""The events that start an adoption: a model package version reached Completed in some group."""

from lambdas.common.events import MODEL_PACKAGE_STATE_CHANGE, rule_pattern

COMPLETED = "Completed"


def adoption_pattern(groups: list[str] | None) -> dict[str, object]:
    """Completed packages of the named groups; of every group when tags may opt one in (groups=None)."""
    detail: dict[str, object] = {"ModelPackageStatus": [COMPLETED]}
    if groups is not None:
        detail["ModelPackageGroupName"] = groups
    return rule_pattern("aws.sagemaker", [MODEL_PACKAGE_STATE_CHANGE], detail)
