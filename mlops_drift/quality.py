"""Model quality and bias metrics on joined labels and predictions (numpy only)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Metrics = dict[str, float | None]


def _ratio(num: float, den: float) -> float:
    """num / den, 0 when den is 0 (the sklearn zero_division=0 convention)."""
    return num / den if den else 0.0


def average_ranks(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """1-based ranks with ties given their average rank."""
    _, inverse, counts = np.unique(
        np.asarray(values, dtype=np.float64), return_inverse=True, return_counts=True
    )
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse]


def roc_auc(y_true: npt.ArrayLike, y_score: npt.ArrayLike) -> float | None:
    """Binary ROC AUC as the Mann-Whitney U / (n1 * n0); None when only one class is present."""
    positive = np.asarray(y_true).astype(bool)
    n1 = int(positive.sum())
    n0 = positive.size - n1
    if n1 == 0 or n0 == 0:
        return None
    rank_sum = float(average_ranks(y_score)[positive].sum())
    return (rank_sum - n1 * (n1 + 1) / 2.0) / (n1 * n0)


def _counts(truth: npt.NDArray[np.bool_], pred: npt.NDArray[np.bool_]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn)."""
    tp = int(np.sum(truth & pred))
    fp = int(np.sum(~truth & pred))
    fn = int(np.sum(truth & ~pred))
    return tp, fp, fn, truth.size - tp - fp - fn


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts."""
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return precision, recall, _ratio(2 * precision * recall, precision + recall)


def binary_metrics(y_true: npt.ArrayLike, y_score: npt.ArrayLike, threshold: float = 0.5) -> Metrics:
    """Accuracy, precision, recall, F1 (score >= threshold is positive) and ROC AUC; labels are 0/1."""
    truth = np.asarray(y_true).astype(bool)
    scores = np.asarray(y_score, dtype=np.float64)
    tp, fp, fn, tn = _counts(truth, scores >= threshold)
    precision, recall, f1 = _prf(tp, fp, fn)
    return {
        "count": float(truth.size),
        "accuracy": _ratio(tp + tn, truth.size),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": roc_auc(truth, scores),
    }


def multiclass_metrics(
    y_true: Sequence[Any] | npt.ArrayLike,
    y_pred: Sequence[Any] | npt.ArrayLike,
    scores: npt.ArrayLike | None = None,
    classes: Sequence[Any] | None = None,
) -> Metrics:
    """Accuracy and macro precision/recall/F1; macro one-vs-rest ROC AUC when class scores are given.

    Classes default to the union of observed labels; scores columns follow `classes`.
    """
    truth, pred = np.asarray(y_true), np.asarray(y_pred)
    labels = list(classes) if classes is not None else sorted(set(truth.tolist()) | set(pred.tolist()))
    per_class = _per_class(truth, pred, labels)
    macro = np.mean(np.array(per_class), axis=0) if per_class else np.zeros(3)
    accuracy = _ratio(float(np.sum(truth == pred)), truth.size)
    metrics: Metrics = {
        "count": float(truth.size),
        "accuracy": accuracy,
        "precision_macro": float(macro[0]),
        "recall_macro": float(macro[1]),
        "f1_macro": float(macro[2]),
    }
    if scores is not None:
        matrix = np.asarray(scores, dtype=np.float64)
        aucs = [roc_auc(truth == c, matrix[:, i]) for i, c in enumerate(labels)]
        present = [a for a in aucs if a is not None]
        metrics["roc_auc_macro"] = float(np.mean(present)) if present else None
    return metrics


def _per_class(
    truth: npt.NDArray[Any], pred: npt.NDArray[Any], labels: Sequence[Any]
) -> list[tuple[float, float, float]]:
    """Precision, recall and F1 of each class, counted in one pass over the records (not one per class:
    ground truth with 100,000 distinct labels would otherwise take hours, longer than any check may run)."""
    index = {label: i for i, label in enumerate(labels)}
    t, p = (
        np.fromiter((index.get(v, -1) for v in values.tolist()), dtype=np.int64, count=values.size)
        for values in (truth, pred)
    )
    k = len(labels)
    hits = np.bincount(t[(t == p) & (t >= 0)], minlength=k)
    actual, predicted = np.bincount(t[t >= 0], minlength=k), np.bincount(p[p >= 0], minlength=k)
    return [_prf(int(h), int(n - h), int(a - h)) for h, n, a in zip(hits, predicted, actual, strict=True)]


def _finite(value: float) -> float | None:
    """The value, or None where it is not a finite number (it cannot be published or written as JSON)."""
    return value if math.isfinite(value) else None


def regression_metrics(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> Metrics:
    """RMSE, MAE and R^2 (None when the labels have no variance, or a value is beyond float range).

    Squares are taken of values divided by the largest magnitude, so labels near 1e200 give a finite RMSE
    instead of overflowing to infinity.
    """
    truth = np.asarray(y_true, dtype=np.float64)
    if not truth.size:
        return {"count": 0.0, "rmse": None, "mae": None, "r2": None}
    with np.errstate(over="ignore", invalid="ignore"):
        error = np.asarray(y_pred, dtype=np.float64) - truth
        centred = truth - _scaled_mean(truth)
        scale = float(max(np.max(np.abs(error)), np.max(np.abs(centred))))
        if not math.isfinite(scale):
            return {"count": float(truth.size), "rmse": None, "mae": None, "r2": None}
        unit = scale or 1.0
        squared_error, total = float(np.sum((error / unit) ** 2)), float(np.sum((centred / unit) ** 2))
        return {
            "count": float(truth.size),
            "rmse": _finite(unit * math.sqrt(squared_error / truth.size)),
            "mae": _finite(unit * float(np.mean(np.abs(error) / unit))),
            "r2": 1.0 - squared_error / total if total > 0 else None,
        }


def _scaled_mean(values: npt.NDArray[np.float64]) -> float:
    """The mean, computed on values divided by their largest magnitude so the sum cannot overflow."""
    top = float(np.max(np.abs(values)))
    return top * float(np.mean(values / top)) if top > 0 and math.isfinite(top) else float(np.mean(values))


def _segments(
    truth: npt.NDArray[np.bool_], pred: npt.NDArray[np.bool_], groups: Sequence[Any] | npt.ArrayLike
) -> dict[str, dict[str, float | None]]:
    """Count, selection rate and true-positive rate per segment, segments named (and grouped) by their text.

    One pass over the records, not one per segment: a continuous column named as an attribute has as many
    segments as records, which would otherwise take hours.
    """
    names, codes = np.unique(
        np.array([str(g) for g in np.asarray(groups, dtype=object).tolist()]), return_inverse=True
    )
    size = len(names)
    counts = np.bincount(codes, minlength=size)
    selected = np.bincount(codes, weights=pred, minlength=size)
    positives = np.bincount(codes, weights=truth, minlength=size)
    hits = np.bincount(codes, weights=truth & pred, minlength=size)
    return {
        str(name): {
            "count": float(count),
            "selection_rate": _ratio(float(chosen), int(count)),
            "true_positive_rate": float(hit) / float(positive) if positive else None,
        }
        for name, count, chosen, positive, hit in zip(names, counts, selected, positives, hits, strict=True)
    }


def _gap(values: list[float | None]) -> float | None:
    """max - min of the defined values; None with fewer than two."""
    defined = [v for v in values if v is not None]
    return max(defined) - min(defined) if len(defined) > 1 else None


def bias_metrics(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, attributes: Mapping[str, Sequence[Any] | npt.ArrayLike]
) -> dict[str, dict[str, Any]]:
    """Per attribute: per-segment selection rate and TPR, their max-min gaps and min/max selection ratio."""
    truth, pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    out: dict[str, dict[str, Any]] = {}
    for attribute, raw in attributes.items():
        segments = _segments(truth, pred, raw)
        selection = [seg["selection_rate"] for seg in segments.values()]
        defined = [s for s in selection if s is not None]
        out[attribute] = {
            "segments": segments,
            "selection_rate_gap": _gap(selection),
            "true_positive_rate_gap": _gap([seg["true_positive_rate"] for seg in segments.values()]),
            "disparate_impact": _ratio(min(defined), max(defined)) if len(defined) > 1 else None,
        }
    return out
