"""The spec's metric on held-out labels and predictions, with the model-quality check's functions."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np

from lambdas.training_run.errors import TrainingRunError
from mlops_drift.quality import Metrics, binary_metrics, multiclass_metrics, regression_metrics
from mlops_manifest.monitoring import ProblemType


def prediction_values(raw: bytes, expected: int) -> list[str]:
    """One prediction per line (the first CSV field, or the first element of a JSON array)."""
    lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    if len(lines) != expected:
        raise TrainingRunError(f"the batch transform returned {len(lines)} predictions for {expected} rows")
    return [_first(line) for line in lines]


def _first(line: str) -> str:
    """The first value of a CSV or JSON-array line."""
    if line.startswith("["):
        try:
            values = json.loads(line)
        except json.JSONDecodeError:
            raise TrainingRunError(f"a prediction line is not JSON: {line[:80]!r}") from None
        return str(values[0]) if isinstance(values, list) and values else line
    return line.split(",", 1)[0].strip()


def _numbers(values: Sequence[str], what: str) -> np.ndarray:
    """Values as finite floats; NaN, infinity or text stop the evaluation naming the first bad row."""
    out = np.empty(len(values), dtype=np.float64)
    for row, value in enumerate(values, start=1):
        try:
            out[row - 1] = float(value)
        except ValueError:
            raise TrainingRunError(f"{what} of row {row} is not a number: {value[:40]!r}") from None
        if not math.isfinite(out[row - 1]):
            raise TrainingRunError(f"{what} of row {row} is {value!r}, not a finite number")
    return out


def held_out_metrics(problem: ProblemType, labels: Sequence[str], predictions: Sequence[str]) -> Metrics:
    """The problem type's quality metrics, computed as the model-quality check computes them."""
    if problem is ProblemType.REGRESSION:
        return regression_metrics(_numbers(labels, "label"), _numbers(predictions, "prediction"))
    if problem is ProblemType.MULTICLASS:
        return multiclass_metrics([_label(v) for v in labels], [_label(v) for v in predictions])
    truth = _numbers(labels, "label")
    if not np.isin(truth, (0.0, 1.0)).all():
        raise TrainingRunError("binary classification labels must be 0 or 1 in the held-out data")
    return binary_metrics(truth, _numbers(predictions, "prediction"))


def _label(value: str) -> str:
    """A class label: integral numbers without '.0', as the model-quality check spells them."""
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value
