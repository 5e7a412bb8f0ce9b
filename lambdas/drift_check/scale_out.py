"""Scale-out: profile large capture volumes in a sharded SageMaker Processing job, merge its partials."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import mlops_drift
from lambdas.common.checkpoint import PendingJob, StoredObject
from lambdas.drift_check.request import DriftCheckRequest
from lambdas.drift_check.settings import Processing
from mlops_drift import ProfileSpec
from mlops_drift.partial import PartialProfile, merge_partials

CONTAINER = "/opt/ml/processing"
MAX_RUNTIME_SECONDS = 3600
# The job stops reading capture this long before SageMaker would stop it (its inputs' download counts
# against the limit too), so that it still writes its partial: a stopped job's files would be listed,
# and stop the job, again on every later run.
READING_SECONDS = MAX_RUNTIME_SECONDS - 600
VOLUME_GB = 30


@dataclass(frozen=True)
class JobPaths:
    """The S3 locations of one job, all under the reports bucket's processing/ prefix."""

    bucket: str
    root: str

    def uri(self, part: str) -> str:
        """s3:// URI of a part of the job's prefix."""
        return f"s3://{self.bucket}/{self.root}{part}"


def job_name(endpoint: str, now: datetime) -> str:
    """A unique, valid Processing job name (at most 63 characters)."""
    return f"drift-{endpoint[:36].rstrip('-')}-{now:%Y%m%d%H%M%S}"


def _stage(
    s3: Any, paths: JobPaths, request: DriftCheckRequest, capture_prefix: str, objects: Sequence[StoredObject]
) -> None:
    """Write the manifest, a copy of the baseline and the engine's code under the job's prefix."""
    manifest: list[Any] = [{"prefix": f"s3://{request.capture.bucket}/{capture_prefix}"}]
    manifest += [obj.key[len(capture_prefix) :] for obj in objects]
    s3.put_object(Bucket=paths.bucket, Key=paths.root + "manifest.json", Body=json.dumps(manifest).encode())
    s3.copy_object(
        Bucket=paths.bucket,
        Key=paths.root + "baseline/profile.json",
        CopySource={"Bucket": request.baseline.bucket, "Key": request.baseline.key},
    )
    # The job runs the very engine version this function bundles: its package is staged as the code input.
    package = Path(mlops_drift.__file__).parent
    for source in sorted(package.glob("*.py")):
        s3.put_object(
            Bucket=paths.bucket, Key=f"{paths.root}code/mlops_drift/{source.name}", Body=source.read_bytes()
        )


def _input(name: str, uri: str, local: str, *, manifest: bool = False) -> dict[str, Any]:
    """One ProcessingInput."""
    return {
        "InputName": name,
        "S3Input": {
            "S3Uri": uri,
            "LocalPath": f"{CONTAINER}/input/{local}",
            "S3DataType": "ManifestFile" if manifest else "S3Prefix",
            "S3InputMode": "File",
            "S3DataDistributionType": "ShardedByS3Key" if manifest else "FullyReplicated",
        },
    }


def _output(uri: str) -> dict[str, Any]:
    """The ProcessingOutput every instance uploads its partial profile through."""
    local = f"{CONTAINER}/output"
    return {
        "OutputName": "partials",
        "S3Output": {"S3Uri": uri, "LocalPath": local, "S3UploadMode": "EndOfJob"},
    }


def _job_request(name: str, paths: JobPaths, processing: Processing, shards: int) -> dict[str, Any]:
    """The CreateProcessingJob request."""
    return {
        "ProcessingJobName": name,
        "RoleArn": processing.role_arn,
        "AppSpecification": {
            "ImageUri": processing.image_uri,
            "ContainerEntrypoint": ["python3", "-m", "mlops_drift.processing_job"],
            "ContainerArguments": ["--seconds", str(READING_SECONDS)],
        },
        "Environment": {"PYTHONPATH": f"{CONTAINER}/input/code"},
        "ProcessingInputs": [
            _input("capture", paths.uri("manifest.json"), "capture", manifest=True),
            _input("baseline", paths.uri("baseline/"), "baseline"),
            _input("code", paths.uri("code/"), "code"),
        ],
        "ProcessingOutputConfig": {"Outputs": [_output(paths.uri("partials/"))]},
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": shards,
                "InstanceType": processing.instance_type,
                "VolumeSizeInGB": VOLUME_GB,
            }
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": MAX_RUNTIME_SECONDS},
    }


def start_job(
    clients: Any,
    bucket: str,
    processing: Processing,
    request: DriftCheckRequest,
    capture_prefix: str,
    objects: Sequence[StoredObject],
    now: datetime,
) -> PendingJob:
    """Stage inputs and start the sharded job over the given capture objects."""
    name = job_name(request.endpoint_name, now)
    paths = JobPaths(bucket, f"processing/{request.endpoint_name}/{name}/")
    _stage(clients.s3, paths, request, capture_prefix, objects)
    shards = min(processing.instance_count, len(objects))
    clients.sagemaker.create_processing_job(**_job_request(name, paths, processing, shards))
    total = sum(obj.size for obj in objects)
    return PendingJob(name, objects[-1].position, len(objects), total, paths.root + "partials/")


def job_status(sagemaker: Any, name: str) -> tuple[str, str]:
    """(ProcessingJobStatus, FailureReason) of a job."""
    job = sagemaker.describe_processing_job(ProcessingJobName=name)
    return str(job["ProcessingJobStatus"]), str(job.get("FailureReason", ""))


def collect_partials(s3: Any, bucket: str, prefix: str, spec: ProfileSpec) -> PartialProfile:
    """Read every partial profile the job wrote and merge them."""
    parts = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            parts.append(PartialProfile.from_dict(json.loads(body)))
    return merge_partials(spec, parts)
