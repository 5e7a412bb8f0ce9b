"""Pushes a model version to the local registry bucket: baseline dataset, artifact, then the manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mlops_manifest.monitoring import DatasetFormat, dataset_format

MODELS_PREFIX = "models"
_CONTENT_TYPES = {
    DatasetFormat.CSV: "text/csv",
    DatasetFormat.JSON_LINES: "application/jsonlines",
    DatasetFormat.PARQUET: "application/vnd.apache.parquet",
}


def model_folder(manifest: dict[str, Any]) -> str:
    """`models/<model>/<version>/`, where the manifest and its artifact go."""
    return f"{MODELS_PREFIX}/{manifest['model_name']}/{manifest['version']}/"


def push_model(s3: Any, bucket: str, artifact: Path, manifest: dict[str, Any], baseline: Path | None) -> str:
    """Upload the baseline (at the manifest's key), the artifact, then the manifest; return its key."""
    dataset_key = manifest.get("monitoring", {}).get("baseline_dataset_key")
    if baseline is not None and dataset_key:
        content_type = _CONTENT_TYPES[dataset_format(dataset_key)]
        s3.upload_file(str(baseline), bucket, dataset_key, ExtraArgs={"ContentType": content_type})
    folder = model_folder(manifest)
    sha256 = hashlib.sha256(artifact.read_bytes()).hexdigest()
    extra = {"ContentType": "application/gzip", "Metadata": {"sha256": sha256}}
    s3.upload_file(str(artifact), bucket, folder + manifest["artifact"]["file_name"], ExtraArgs=extra)
    key = folder + "manifest.json"
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(manifest).encode(), ContentType="application/json")
    return key
