"""MWO's BYOM bodies (real-time and batch, built-in and custom image) mapped onto a manifest."""

from __future__ import annotations

from typing import Any

from lambdas.common.s3_uri import s3_uri
from mlops_api.mwo import BatchBuiltin, BatchCustom, RealtimeBuiltin, RealtimeCustom
from mlops_api.mwo_draft import Destination, Draft
from mlops_api.mwo_result import ObjectCopy
from mlops_api.mwo_types import asset_location
from mlops_contract.batch_layout import BATCH_INPUT_PREFIX, OUTPUT_LOCATION_WORDS
from mlops_manifest.problems import Problem

ByomBody = RealtimeBuiltin | RealtimeCustom | BatchBuiltin | BatchCustom
MIGRATED_TAG = "migrated-from"
MIGRATED_FROM = "mlops-workload-orchestrator"
PIPELINE_TYPE_TAG = "mwo-pipeline-type"
# MWO captured every request of its endpoints; the migrated endpoint keeps doing so.
MWO_SAMPLING_PERCENT = 100
_NO_PACKAGE = (
    "the S3 key of model.tar.gz in MWO's assets bucket; a model_package_name is not carried over: read "
    "its ModelDataUrl (aws sagemaker describe-model-package), copy that archive to the assets bucket and "
    "name it here"
)
_CAPTURE = (
    "endpoints capture to the product's own data-capture bucket (KMS-encrypted, read by the drift and "
    "quality checks); data MWO captured stays where it is"
)
_ENDPOINT = "endpoints are named <model_name>-<stage> by the product, one per deployment stage"
_KMS = "every bucket, volume and output is encrypted with the product's own KMS keys"
_PACKAGE = "the artifact named in model_artifact_location is registered; a new model package is created"
# Where a migrated batch model's runs find their data: the manifest suggests this prefix of its folder.
MIGRATED_INPUT_PREFIX = "migrated/"


def byom_manifest(body: ByomBody, caller: str, where: Destination, draft: Draft) -> dict[str, Any]:
    """The manifest an MWO BYOM body becomes; problems, ignored fields and copies go into `draft`."""
    migration = body.migration
    file_name = _artifact(body, where, draft)
    manifest: dict[str, Any] = {
        "schema_version": "1",
        "model_name": body.model_name,
        "version": migration.version,
        "artifact": {"file_name": file_name, "sha256": migration.artifact_sha256},
        "owner": migration.owner or caller,
        "description": f"Migrated from MLOps Workload Orchestrator ({body.pipeline_type})",
        "tags": {MIGRATED_TAG: MIGRATED_FROM, PIPELINE_TYPE_TAG: str(body.pipeline_type)},
        **_image(body),
        **_serving(body, draft),
    }
    draft.ignore("kms_key_arn", body.kms_key_arn, _KMS)
    if body.model_artifact_location is not None:
        draft.ignore("model_package_name", body.model_package_name, _PACKAGE)
    return manifest


def _artifact(body: ByomBody, where: Destination, draft: Draft) -> str:
    """The artifact's file name here; its copy from MWO's assets bucket is recorded."""
    key = body.model_artifact_location
    if key is None:
        draft.problems.append(Problem("model_artifact_location", "(missing)", _NO_PACKAGE, "missing"))
        return "model.tar.gz"
    source = asset_location("model_artifact_location", key, body.migration.assets_bucket)
    if isinstance(source, Problem):
        draft.problems.append(source)
        return "model.tar.gz"
    file_name = key.rsplit("/", 1)[-1]
    folder = f"models/{body.model_name}/{body.migration.version}"
    target = s3_uri(where.registry_bucket, f"{folder}/{file_name}")
    draft.copies.append(ObjectCopy(field="model_artifact_location", source=source.uri, target=target))
    return file_name


def _image(body: ByomBody) -> dict[str, str]:
    """A SageMaker framework image (built-in types) or the team's own image (custom types)."""
    if isinstance(body, RealtimeBuiltin | BatchBuiltin):
        return {"framework": body.model_framework, "framework_version": body.model_framework_version}
    return {"image_uri": body.custom_image_uri}


def _serving(body: ByomBody, draft: Draft) -> dict[str, Any]:
    """The inference section (and, for endpoints, data capture) of the manifest."""
    instance_type = draft.stage_value("inference_instance", body.inference_instance)
    if isinstance(body, RealtimeBuiltin | RealtimeCustom):
        draft.checked_ignore("data_capture_location", body.data_capture_location, _CAPTURE)
        draft.ignore("endpoint_name", body.endpoint_name, _ENDPOINT)
        return {
            "inference": {"type": "realtime", "instance_type": instance_type, "initial_instance_count": 1},
            "data_capture": {"enabled": True, "sampling_percent": MWO_SAMPLING_PERCENT},
        }
    # Batch data stays in production's data bucket: both locations are checked, then not carried over.
    source = draft.location("batch_inference_data", body.batch_inference_data)
    output = draft.location("batch_job_output_location", body.batch_job_output_location)
    if source is not None:
        folder = f"s3://<production data-capture bucket>/{BATCH_INPUT_PREFIX}{body.model_name}/"
        reason = (
            f"batch runs read only their model's folder {folder} (least privilege); copy {source.uri} to "
            f"{folder}{MIGRATED_INPUT_PREFIX} (the inputPrefix this manifest suggests) before the first run"
        )
        draft.ignore("batch_inference_data", body.batch_inference_data, reason)
    if output is not None:
        draft.ignore("batch_job_output_location", body.batch_job_output_location, OUTPUT_LOCATION_WORDS)
    return {
        "inference": {
            "type": "batch",
            "instance_type": instance_type,
            "instance_count": 1,
            "input_path": MIGRATED_INPUT_PREFIX,
        }
    }
