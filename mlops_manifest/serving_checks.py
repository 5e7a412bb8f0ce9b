"""Cross-field rules of serving: real instance types, capture that records something, fixed async outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_contract.batch_layout import INPUT_LOCATION_WORDS, OUTPUT_LOCATION_WORDS, input_prefix_problem
from mlops_manifest.inference import (
    ASYNC_NOTIFICATION_WORDS,
    ASYNC_OUTPUT_WORDS,
    AsyncInference,
    BatchInference,
    InstanceEndpoint,
)
from mlops_manifest.instance_types import InstanceUse, instance_type_problems
from mlops_manifest.problems import Problem, describe

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest


def serving_problems(m: Manifest) -> list[Problem]:
    """Every serving problem of a manifest whose fields are individually valid."""
    return [*_instance_type(m), *_capture_sampling(m), *_async_destinations(m), *_batch_locations(m)]


def _instance_type(m: Manifest) -> list[Problem]:
    """The instance type exists in SageMaker for the way the model is served."""
    inference = m.inference
    if isinstance(inference, InstanceEndpoint):
        return instance_type_problems(
            "inference.instance_type", inference.instance_type, InstanceUse.ENDPOINT
        )
    if isinstance(inference, BatchInference):
        return instance_type_problems(
            "inference.instance_type", inference.instance_type, InstanceUse.TRANSFORM
        )
    return []  # serverless endpoints have no instance type


def _capture_sampling(m: Manifest) -> list[Problem]:
    """Capture switched on at 0 % records nothing while looking enabled to every reader of the manifest."""
    capture = m.data_capture
    if not capture.enabled or capture.sampling_percent > 0:
        return []
    allowed = (
        "1-100 while data capture is enabled (0 % would record nothing); to turn capture off, "
        "set enabled: false"
    )
    return [Problem("data_capture.sampling_percent", "0", allowed, "capture_samples_nothing")]


def _async_destinations(m: Manifest) -> list[Problem]:
    """Async answers and notifications cannot go where the SageMaker execution role may not write."""
    inference = m.inference
    if not isinstance(inference, AsyncInference):
        return []
    problems = _fixed_output(inference.output_path, ASYNC_OUTPUT_WORDS, "async_output_fixed")
    notification = inference.notification
    for name in ("success_topic_arn", "error_topic_arn"):
        topic = getattr(notification, name, None) if notification is not None else None
        if topic is not None:
            allowed = f"no notification topic: {ASYNC_NOTIFICATION_WORDS}"
            problems.append(
                Problem(f"inference.notification.{name}", describe(topic), allowed, "async_topic_refused")
            )
    return problems


def _batch_locations(m: Manifest) -> list[Problem]:
    """Batch data stays in production's data bucket: a relative input prefix, and no output location."""
    inference = m.inference
    if not isinstance(inference, BatchInference):
        return []
    problems = []
    if inference.input_path is not None:
        wrong = input_prefix_problem(inference.input_path)
        if wrong is not None:
            found = f"{describe(inference.input_path)}, which {wrong}"
            code = "batch_input_prefix"
            problems.append(Problem("inference.input_path", found, INPUT_LOCATION_WORDS, code))
    return problems + _fixed_output(inference.output_path, OUTPUT_LOCATION_WORDS, "batch_output_fixed")


def _fixed_output(output_path: str | None, where: str, code: str) -> list[Problem]:
    """An output_path is refused: answers go only to the product's own prefix, described by `where`."""
    if output_path is None:
        return []
    return [Problem("inference.output_path", describe(output_path), f"no output_path: {where}", code)]
