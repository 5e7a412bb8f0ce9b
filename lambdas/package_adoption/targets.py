"""Which of our models a package group feeds: named in config, or opted in by the group's tags."""

from __future__ import annotations

from typing import Any

from lambdas.package_adoption.settings import Settings, Target

TAG_MODEL = "mlops:adopt-as"
TAG_OWNER = "mlops:owner"


def target_of(sagemaker: Any, settings: Settings, group: str) -> Target | None:
    """The group's target, or None when the group is not adopted (config first, then tags if allowed)."""
    if group in settings.groups:
        return settings.groups[group]
    if not settings.by_tag or not group:
        return None
    arn = sagemaker.describe_model_package_group(ModelPackageGroupName=group)["ModelPackageGroupArn"]
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=arn).get("Tags", [])}
    model, owner = tags.get(TAG_MODEL), tags.get(TAG_OWNER)
    # A model fed by a configured group stays with that group; a group cannot feed the group it is.
    taken = {target.model_name for target in settings.groups.values()} | {group}
    if not model or not owner or model in taken:
        return None
    return Target(model_name=model, owner=owner, serving={})
