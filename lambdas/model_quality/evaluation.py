"""Join ground truth with captured predictions and compute quality and bias metrics with breaches."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lambdas.common.checkpoint import StoredObject
from lambdas.model_quality.request import QualityCheckRequest
from mlops_drift import (
    CaptureBatch,
    bias_metrics,
    binary_metrics,
    multiclass_metrics,
    parse_capture,
    parse_ground_truth,
    regression_metrics,
)
from mlops_drift.capture import MAX_ISSUES
from mlops_drift.capture_decode import line_pieces
from mlops_drift.file_read import PIECE_BYTES, Deadline
from mlops_drift.partial import MAX_FILE_BYTES
from mlops_manifest.monitoring import ProblemType


@dataclass
class Matched:
    """Labelled predictions (first capture of each inference id) and the join's bookkeeping."""

    labels: dict[str, Any] = field(default_factory=dict)
    y_true: list[Any] = field(default_factory=list)
    y_pred: list[Any] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    malformed_label_lines: int = 0
    malformed_capture_lines: int = 0
    # Lines and files the check could not use, with why: reported, never retried (the checkpoint moves on).
    issues: list[dict[str, Any]] = field(default_factory=list)

    def readable(self, obj: StoredObject) -> bool:
        """False (and the file reported) when it is too large to read: it would exhaust the function's
        memory on every run, and the checkpoint could never pass it."""
        if obj.size <= MAX_FILE_BYTES:
            return True
        why = f"file skipped: {obj.size:,} bytes, more than the {MAX_FILE_BYTES:,} read per file"
        self.note(obj.key, 0, why)
        return False

    def note(self, key: str, line: int, reason: str) -> None:
        """Report one unusable line (0: the whole file), up to MAX_ISSUES of them."""
        if len(self.issues) < MAX_ISSUES:
            self.issues.append({"file": key, "line": line, "reason": reason})

    @property
    def unmatched_labels(self) -> int:
        """Labels whose inference id was not found in the capture window."""
        return len(self.labels) - len(self.seen)


def read_labels(s3: Any, bucket: str, objects: Sequence[StoredObject], matched: Matched) -> None:
    """Parse the ground-truth files in arrival order (a later label for an id replaces an earlier one)."""
    for obj in filter(matched.readable, objects):
        truth = parse_ground_truth(s3.get_object(Bucket=bucket, Key=obj.key)["Body"].read().splitlines())
        matched.labels.update(truth.labels)
        matched.malformed_label_lines += truth.malformed_lines
        for issue in truth.issues:
            matched.note(obj.key, issue.line, issue.reason)


def _column(batch: CaptureBatch, name: str) -> list[str]:
    """One feature's values as strings (attribute segments)."""
    values = batch.features.categorical.get(name)
    if values is None:
        values = batch.features.numeric.get(name, np.full(batch.features.n_rows, np.nan))
    return [str(v) for v in values.tolist()]


def join_capture(
    s3: Any,
    bucket: str,
    objects: Sequence[StoredObject],
    names: Sequence[str],
    attributes: Sequence[str],
    matched: Matched,
    deadline: Deadline | None = None,
) -> None:
    """Add the labelled predictions of each capture file, joined on inference id (the first capture of an id).

    Each record is looked up in the labels once: no per-file copy of the labels, whose cost would grow with
    labels times files. Past the deadline no more capture is read (the labels it would have matched count
    as unmatched) and an issue says from where.
    """
    for obj in filter(matched.readable, objects):
        # The file's bytes: lines split on "\n" alone, as the drift check reads capture, and parsed in
        # line-aligned pieces so that no file under the size limit can exhaust the function's memory.
        data = s3.get_object(Bucket=bucket, Key=obj.key)["Body"].read()
        first = 1
        for piece, lines in line_pieces(data, PIECE_BYTES):
            if deadline is not None and deadline.passed():
                matched.note(obj.key, first, "capture from this line on not read: the check's time ran out")
                return
            chunk = data if len(piece) == len(data) else bytes(piece)  # most files are one piece: no copy
            _join(parse_capture(chunk, feature_names=names), attributes, matched)
            first += lines


def _join(batch: CaptureBatch, attributes: Sequence[str], matched: Matched) -> None:
    """Add one piece's labelled predictions (the first capture of each labelled inference id)."""
    labels, seen = matched.labels, matched.seen
    matched.malformed_capture_lines += batch.malformed_lines
    columns = {name: _column(batch, name) for name in attributes}
    predictions = batch.predictions.tolist()
    for row, inference_id in enumerate(batch.inference_ids.tolist()):
        if inference_id in seen or inference_id not in labels:
            continue
        seen.add(inference_id)
        matched.y_true.append(labels[inference_id])
        matched.y_pred.append(predictions[row])
        for name, column in columns.items():
            matched.attributes.setdefault(name, []).append(column[row])


def _number(value: Any) -> float:
    """A label or prediction as a float (NaN when it is not a single number)."""
    if isinstance(value, bool | int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _label(value: Any, classes: Sequence[str]) -> str:
    """A class label: a score vector's argmax class, an integral number without ".0", or the text."""
    if isinstance(value, tuple):
        index = int(np.argmax(value))
        return classes[index] if index < len(classes) else str(index)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _score_matrix(predictions: Sequence[Any], n_classes: int) -> np.ndarray | None:
    """One score column per class when every prediction is a score vector of that length (for ROC AUC)."""
    if not predictions or n_classes == 0:
        return None
    if not all(isinstance(p, tuple) and len(p) == n_classes for p in predictions):
        return None
    return np.array(predictions, dtype=np.float64)


def evaluate(
    request: QualityCheckRequest, matched: Matched
) -> tuple[dict[str, float | None], dict[str, Any]]:
    """(quality metrics, bias metrics per attribute) for the request's problem type."""
    if request.problem_type is ProblemType.REGRESSION:
        truth, pred = (
            np.array([_number(v) for v in matched.y_true]),
            np.array([_number(v) for v in matched.y_pred]),
        )
        keep = np.isfinite(truth) & np.isfinite(pred)
        return regression_metrics(truth[keep], pred[keep]), {}
    if request.problem_type is ProblemType.MULTICLASS:
        labels = [_label(v, request.classes) for v in matched.y_true]
        predicted = [_label(v, request.classes) for v in matched.y_pred]
        scores = _score_matrix(matched.y_pred, len(request.classes))
        return multiclass_metrics(labels, predicted, scores, classes=request.classes or None), {}
    truth, scores = (
        np.array([_number(v) for v in matched.y_true]),
        np.array([_number(v) for v in matched.y_pred]),
    )
    keep = np.isin(truth, (0.0, 1.0)) & np.isfinite(scores)
    metrics = binary_metrics(truth[keep], scores[keep], request.probability_threshold)
    groups = {name: np.array(values, dtype=object)[keep] for name, values in matched.attributes.items()}
    bias = bias_metrics(truth[keep], scores[keep] >= request.probability_threshold, groups) if groups else {}
    return metrics, bias


def breaches(
    request: QualityCheckRequest, metrics: dict[str, float | None], bias: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every metric outside its configured range."""
    found = [
        {"metric": name, "value": metrics.get(name), **limit.model_dump()}
        for name, limit in request.thresholds.items()
        if limit.breached(metrics.get(name))
    ]
    for attribute, result in bias.items():
        for name, limit in request.bias.thresholds.items():
            if limit.breached(result.get(name)):
                found.append(
                    {"metric": name, "attribute": attribute, "value": result.get(name), **limit.model_dump()}
                )
    return found
