"""Instance types SageMaker has, from botocore's SageMaker service model (the offline source of truth)."""

from __future__ import annotations

import difflib
from enum import StrEnum
from functools import cache

from mlops_manifest.problems import Problem, describe


class InstanceUse(StrEnum):
    """What an instance runs; each use has its own list in SageMaker's API (botocore shape name)."""

    ENDPOINT = "ProductionVariantInstanceType"  # realtime and async endpoints
    TRANSFORM = "TransformInstanceType"  # batch transform jobs
    TRAINING = "TrainingInstanceType"  # training and tuning jobs (mlops_training)


_USE_WORDS = {
    InstanceUse.ENDPOINT: "endpoints",
    InstanceUse.TRANSFORM: "batch transform",
    InstanceUse.TRAINING: "training jobs",
}


@cache
def known_instance_types(use: InstanceUse) -> frozenset[str]:
    """The instance types of one use, read once (about 0.7 s) from the installed botocore's model."""
    from botocore.loaders import Loader  # deferred: only manifests that name an instance type pay for it

    shapes = Loader().load_service_model("sagemaker", "service-2")["shapes"]
    return frozenset(shapes[use.value]["enum"])


def instance_type_problems(path: str, instance_type: str, use: InstanceUse) -> list[Problem]:
    """A problem when SageMaker has no such instance type for this use, suggesting the closest names."""
    known = known_instance_types(use)
    if instance_type in known:
        return []
    closest = difflib.get_close_matches(instance_type, sorted(known), n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(closest)}" if closest else ""
    allowed = f"an instance type SageMaker offers for {_USE_WORDS[use]} (such as ml.m5.large){hint}"
    return [Problem(path, describe(instance_type), allowed, "unknown_instance_type")]
