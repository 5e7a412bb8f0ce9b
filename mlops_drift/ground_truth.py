"""Parse SageMaker ground-truth JSON Lines and join labels with captured predictions by inference id."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mlops_drift.batch import ObjectArray
from mlops_drift.capture import MAX_ISSUES, LineIssue, object_array
from mlops_drift.capture_payload import PayloadError, decode


@dataclass(frozen=True)
class GroundTruth:
    """Labels by inference id (the ground-truth record's eventMetadata.eventId)."""

    labels: dict[str, Any]
    malformed_lines: int
    issues: tuple[LineIssue, ...]


@dataclass(frozen=True)
class Joined:
    """Predictions and labels of the records present on both sides, in prediction order."""

    inference_ids: ObjectArray
    y_true: ObjectArray
    y_pred: ObjectArray
    unmatched_predictions: int
    unmatched_labels: int


def _label(line: str | bytes) -> tuple[str, Any]:
    """(event id, label) of one ground-truth line; a number when the label parses as one."""
    try:
        event = json.loads(line)
        event_id = str(event["eventMetadata"]["eventId"])
        is_json, content = decode(event["groundTruthData"])
        value = json.loads(content) if is_json and isinstance(content, str) else content
    except RecursionError:
        raise PayloadError("ground-truth line nested too deeply") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PayloadError(f"invalid ground-truth line ({exc.__class__.__name__})") from exc
    if isinstance(value, str):
        value = value.strip()
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        # NaN or beyond float range ("1e999", "inf"): no metric can use it, and it would poison sums.
        raise PayloadError("label is not a finite number")
    return event_id, value


def parse_ground_truth(lines: Iterable[str | bytes], max_issues: int = MAX_ISSUES) -> GroundTruth:
    """Read ground-truth lines; a later label for the same id replaces an earlier one."""
    labels: dict[str, Any] = {}
    issues: list[LineIssue] = []
    malformed = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event_id, value = _label(line)
        except (PayloadError, ValueError) as exc:
            malformed += 1
            if len(issues) < max_issues:
                issues.append(LineIssue(number, str(exc)))
            continue
        labels[event_id] = value
    return GroundTruth(labels, malformed, tuple(issues))


def join(
    inference_ids: Sequence[str] | ObjectArray,
    predictions: Sequence[Any] | ObjectArray,
    labels: dict[str, Any],
) -> Joined:
    """Inner join of predictions with labels on inference id."""
    ids, truth, pred = [], [], []
    for inference_id, prediction in zip(inference_ids, predictions, strict=True):
        if inference_id in labels:
            ids.append(inference_id)
            truth.append(labels[inference_id])
            pred.append(prediction)
    return Joined(
        object_array(ids),
        object_array(truth),
        object_array(pred),
        len(inference_ids) - len(ids),
        len(set(labels) - set(ids)),
    )
