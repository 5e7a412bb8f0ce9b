"""Held-out metrics of a locally trained model, computed as the model-quality check computes them."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from mlops_drift.quality import Metrics, binary_metrics, multiclass_metrics, regression_metrics
from mlops_local.training_data import Table, TrainingDataError
from mlops_manifest.monitoring import ProblemType


def held_out_metrics(model: Pipeline, table: Table, problem_type: ProblemType) -> Metrics:
    """The quality metrics of the problem type on held-out rows (the evaluation gate reads one of them)."""
    if problem_type is ProblemType.REGRESSION:
        return regression_metrics(_numbers(table.y), model.predict(table.x))
    if problem_type is ProblemType.MULTICLASS:
        classes = list(model.classes_)
        return multiclass_metrics(table.y, model.predict(table.x), model.predict_proba(table.x), classes)
    classes = [str(c) for c in model.classes_]
    if len(classes) != 2:
        raise TrainingDataError(f"binary classification needs two classes in training, found {classes}")
    positive = np.asarray(table.y).astype(str) == classes[1]
    scores: Any = model.predict_proba(table.x)[:, 1]
    return binary_metrics(positive, scores)


def _numbers(values: np.ndarray[Any, np.dtype[Any]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Regression targets as numbers, or a clear error."""
    try:
        return values.astype(np.float64)
    except ValueError:
        raise TrainingDataError("regression needs a numeric target column") from None
