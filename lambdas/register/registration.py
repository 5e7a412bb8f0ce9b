"""SageMaker Model Registry side: package groups on first use, one package version per model version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from lambdas.common.registration_record import VERSION_LABEL_KEY
from lambdas.register.upload import Upload
from mlops_contract.serving import container_environment

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest

# CustomerMetadataProperties keys (1-128 chars of letters, digits and _.:/=+-@).
META_SHA256 = "mlops:artifact-sha256"
META_UPLOADER = "mlops:uploader"
META_SOURCE_KEY = "mlops:source-key"
META_OBJECT_VERSION = "mlops:manifest-object-version"
META_ARTIFACT_VERSION = "mlops:artifact-object-version"
META_MANIFEST_SHA256 = "mlops:manifest-sha256"
META_VERSION_LABEL = VERSION_LABEL_KEY
MAX_META_VALUE = 256
# Lineage fields recorded on the package itself (the whole lineage is the ModelMetrics document).
LINEAGE_METADATA = {
    "training_job_name": "mlops:training-job",
    "execution_arn": "mlops:training-execution",
    "run_identity": "mlops:run-identity",
    "source_model_package_arn": "mlops:source-package",
}


@dataclass(frozen=True)
class Registration:
    """What is known about one model package version."""

    package_arn: str
    artifact_sha256: str
    image_uri: str = ""
    model_data_url: str = ""


@dataclass(frozen=True)
class PackageRequest:
    """Everything needed to create one model package version."""

    manifest: Manifest
    upload: Upload
    image_uri: str
    artifact_url: str
    artifact_sha256: str
    artifact_version_id: str | None
    manifest_sha256: str
    lineage_uri: str | None = None  # s3:// of the lineage document, for versions that have one


def find_registration(sm: Any, group: str, version_label: str) -> Registration | None:
    """Return the package version already registered for this model version label, if any."""
    if not _group_exists(sm, group):
        return None
    paginator = sm.get_paginator("list_model_packages")
    for page in paginator.paginate(ModelPackageGroupName=group, ModelPackageType="Versioned"):
        for summary in page["ModelPackageSummaryList"]:
            described = sm.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
            metadata = described.get("CustomerMetadataProperties") or {}
            if metadata.get(META_VERSION_LABEL) == version_label:
                return _registration(described, metadata)
    return None


def _registration(described: dict[str, Any], metadata: dict[str, str]) -> Registration:
    """A described package version as a Registration (its first container: the only one we create)."""
    containers = (described.get("InferenceSpecification") or {}).get("Containers") or [{}]
    return Registration(
        described["ModelPackageArn"],
        metadata.get(META_SHA256, ""),
        containers[0].get("Image", ""),
        containers[0].get("ModelDataUrl", ""),
    )


def _group_exists(sm: Any, group: str) -> bool:
    """Tell whether the model package group exists."""
    try:
        sm.describe_model_package_group(ModelPackageGroupName=group)
    except ClientError as error:
        if error.response["Error"]["Code"] in {"ValidationException", "ResourceNotFound"}:
            return False
        raise
    return True


def ensure_group(sm: Any, manifest: Manifest) -> None:
    """Create the model's package group on first use, tagged with the manifest's tags and owner."""
    if _group_exists(sm, manifest.model_name):
        return
    tags = [{"Key": key, "Value": value} for key, value in manifest.tags.items()]
    tags.append({"Key": "mlops:owner", "Value": manifest.owner[:256]})
    try:
        sm.create_model_package_group(
            ModelPackageGroupName=manifest.model_name,
            ModelPackageGroupDescription=(manifest.description or f"Versions of {manifest.model_name}")[
                :1024
            ],
            Tags=tags,
        )
    except ClientError as error:
        if "already exists" not in str(error):  # a concurrent first registration won the race
            raise


def create_package(sm: Any, request: PackageRequest) -> str:
    """Create the model package version, pending manual approval; return its ARN."""
    manifest = request.manifest
    response = sm.create_model_package(
        ModelPackageGroupName=manifest.model_name,
        ModelPackageDescription=f"{manifest.model_name} {manifest.version}: {manifest.description}"[:1024],
        InferenceSpecification=_inference_specification(request),
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties=_metadata(request),
        ClientToken=request.upload.client_token,
        **_model_metrics(request),
    )
    arn: str = response["ModelPackageArn"]
    return arn


def _inference_specification(request: PackageRequest) -> dict[str, Any]:
    """Build the InferenceSpecification: image, artifact and where the model may run."""
    from mlops_manifest.inference import AsyncInference, BatchInference, RealtimeInference  # loaded by then

    manifest = request.manifest
    container: dict[str, Any] = {"Image": request.image_uri, "ModelDataUrl": request.artifact_url}
    environment = package_environment(manifest)
    if environment:
        # Only variables the blueprint passes (the manifest may hold no others); each stage's resolve step
        # reads them back from here.
        container["Environment"] = environment
    spec: dict[str, Any] = {
        "Containers": [container],
        "SupportedContentTypes": list(manifest.supported_content_types),
        "SupportedResponseMIMETypes": list(manifest.supported_content_types),
    }
    inference = manifest.inference
    if isinstance(inference, RealtimeInference | AsyncInference):
        spec["SupportedRealtimeInferenceInstanceTypes"] = [inference.instance_type]
    elif isinstance(inference, BatchInference):
        spec["SupportedTransformInstanceTypes"] = [inference.instance_type]
    return spec


def package_environment(manifest: Manifest) -> dict[str, str]:
    """The container environment the package records: the manifest's variables and the entry point."""
    return container_environment(serving_program(manifest), manifest.environment)


def serving_program(manifest: Manifest) -> str | None:
    """The entry point a script-mode container must be told about: scikit-learn's container imports the
    script SAGEMAKER_PROGRAM names (code/inference.py, which registration requires of sklearn archives)
    and has no default; the other frameworks' containers find code/inference.py on their own."""
    from mlops_contract.serving import PROGRAM_VARIABLE
    from mlops_manifest.manifest import Framework

    if PROGRAM_VARIABLE in manifest.environment:  # an AutoML candidate names its own entry point
        return manifest.environment[PROGRAM_VARIABLE]
    return "inference.py" if manifest.framework == Framework.SKLEARN else None


def _metadata(request: PackageRequest) -> dict[str, str]:
    """Provenance recorded on the package version: digests, uploader, source object."""
    upload = request.upload
    values = {
        META_SHA256: request.artifact_sha256,
        META_MANIFEST_SHA256: request.manifest_sha256,
        META_UPLOADER: upload.uploader or "unknown",
        META_SOURCE_KEY: upload.key,
        META_OBJECT_VERSION: upload.version_id or "unversioned",
        META_ARTIFACT_VERSION: request.artifact_version_id or "unversioned",
        META_VERSION_LABEL: request.manifest.version,
    }
    lineage = request.manifest.lineage
    if lineage is not None:
        found = {key: getattr(lineage, field) for field, key in LINEAGE_METADATA.items()}
        values |= {key: value for key, value in found.items() if value}
    return {key: value[:MAX_META_VALUE] for key, value in values.items()}


def _model_metrics(request: PackageRequest) -> dict[str, Any]:
    """ModelMetrics naming the lineage document (run, data digests, code, hyperparameters, metrics)."""
    if request.lineage_uri is None:
        return {}
    document = {"ContentType": "application/json", "S3Uri": request.lineage_uri}
    return {"ModelMetrics": {"ModelQuality": {"Statistics": document}}}
