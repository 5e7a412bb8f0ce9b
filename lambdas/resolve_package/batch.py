"""The batch workflow's check: a model package runs in batch only as registration recorded it.

The batch workflow's execution input names a model package ARN, and whoever may start an execution could
name a package made by hand (around a registered artifact with another image, say). The package's model
name and version label are read from the package itself (its group, and the label registration put in its
metadata); the package then passes only the checks a pipeline stage's Resolve step makes, without an
approval: it is the one registration recorded for that label, names the recorded image and sealed
artifact, is not rejected, and the sealed artifact still carries the recorded digest.

The answer gives the workflow everything its model and data come from: the recorded image and artifact,
the container environment registration recorded (a script-mode entry point, or none), and the model name,
which places the run's input and results under that model's folders of production's data bucket.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.registration_record import VERSION_LABEL_KEY
from lambdas.resolve_package.job import ResolveJob
from lambdas.resolve_package.service import Clients, resolve
from lambdas.resolve_package.settings import Settings
from mlops_contract.serving import environment_of

BATCH_STAGE = "batch"


class UnregisteredPackageError(Exception):
    """The package is not a registered model version as recorded; the workflow fails with this name."""


def _label(clients: Clients, package_arn: str) -> tuple[str, str]:
    """The model name (the package's group) and the version label its metadata names."""
    try:
        package = clients.sagemaker.describe_model_package(ModelPackageName=package_arn)
    except ClientError as error:
        raise UnregisteredPackageError(f"there is no model package {package_arn}") from error
    label = (package.get("CustomerMetadataProperties") or {}).get(VERSION_LABEL_KEY)
    group = package.get("ModelPackageGroupName")
    if not group or not label:
        raise UnregisteredPackageError(f"{package_arn} carries no registered model name and version label")
    return str(group), str(label)


def check_batch_package(event: dict[str, Any], clients: Clients, settings: Settings) -> dict[str, Any]:
    """The registered image, artifact, environment and model name of the event's `modelPackageArn`;
    UnregisteredPackageError if it is not the registered package."""
    package_arn = event.get("modelPackageArn")
    if not isinstance(package_arn, str) or not package_arn:
        raise UnregisteredPackageError("the execution input names no modelPackageArn")
    model_name, version = _label(clients, package_arn)
    job = ResolveJob(package_arn, model_name, version, BATCH_STAGE)
    verdict = resolve(job, clients, settings)
    if not verdict.passed:
        raise UnregisteredPackageError(verdict.message)
    answer: dict[str, Any] = dict(verdict.output_variables or {})
    answer["Environment"] = environment_of(answer)  # what the endpoint blueprint would set from the same
    answer["ModelName"] = model_name
    return answer
