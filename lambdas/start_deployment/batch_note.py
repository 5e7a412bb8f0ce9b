"""The notification for a model registered for batch use: how to run it with the batch transform workflow."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mlops_contract.batch_layout import BATCH_INPUT_PREFIX, BATCH_OUTPUT_PREFIX

_JOB_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
# Stands for the run's folder when the manifest suggests none (inference.input_path).
PREFIX_PLACEHOLDER = "<folder of this run>/"
_DATA_BUCKET = (
    "production's data-capture bucket (output DataCaptureBucketName of the stack that holds the workflow)"
)


def execution_input(detail: Mapping[str, Any]) -> dict[str, Any]:
    """A batch transform workflow input for this package, from the manifest's batch settings."""
    found = detail.get("inference")
    inference: Mapping[str, Any] = found if isinstance(found, dict) else {}
    name = _JOB_NAME_UNSAFE.sub("-", f"{detail.get('model_name', 'model')}-{detail.get('version', '')}")
    return {
        # SageMaker transform job (and model) names: letters, digits and hyphens, at most 63 characters.
        "transformJobName": name.strip("-")[:63],
        "modelPackageArn": detail.get("model_package_arn"),
        "inputPrefix": inference.get("input_path") or PREFIX_PLACEHOLDER,
        "contentType": "text/csv",
        "instanceType": inference.get("instance_type"),
        "instanceCount": inference.get("instance_count"),
        "maxPayloadInMB": inference.get("max_payload_mb"),
    }


def batch_message(label: str, detail: Mapping[str, Any], workflow_arn: str | None) -> str:
    """What a batch model's owner reads: no endpoint, and the command that runs a transform job."""
    package = detail.get("model_package_arn")
    lines = [
        f"{label} ({package}) is registered for batch inference. Batch models get no endpoint and no "
        "deployment pipeline: run them with the batch transform workflow, which creates the model from "
        "this package, runs the transform job to the end, deletes the model and notifies this topic.",
    ]
    if workflow_arn:
        body = json.dumps(execution_input(detail))
        model = detail.get("model_name", "<model_name>")
        lines += [
            "",
            f"Put the run's input under {BATCH_INPUT_PREFIX}{model}/<inputPrefix> in {_DATA_BUCKET}; "
            f"the results are written under {BATCH_OUTPUT_PREFIX}{model}/<transformJobName>/ there. "
            "inputPrefix is relative to the model's folder: no bucket, no URI, no '..'.",
            "Start a run (set inputPrefix to the run's folder, contentType to your input's and "
            "transformJobName to a new name for each run):",
            f"aws stepfunctions start-execution --state-machine-arn {workflow_arn} --input '{body}'",
        ]
    return "\n".join(lines)
