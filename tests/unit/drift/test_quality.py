"""Quality and bias metrics against hand-computed values and scipy."""

import numpy as np
import pytest
from scipy import stats as sps

from mlops_drift import bias_metrics, binary_metrics, multiclass_metrics, regression_metrics
from mlops_drift.quality import roc_auc


def test_binary_metrics_by_hand():
    y = [1, 1, 1, 0, 0, 0, 0, 1]
    s = [0.9, 0.6, 0.4, 0.7, 0.2, 0.1, 0.5, 0.8]
    # threshold 0.5: predicted 1 at 0.9, 0.6, 0.7, 0.5, 0.8 -> tp=3 (0.9,0.6,0.8), fp=2 (0.7,0.5), fn=1, tn=2
    m = binary_metrics(y, s)
    assert m["accuracy"] == pytest.approx(5 / 8)
    assert m["precision"] == pytest.approx(3 / 5)
    assert m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    # positive scores 0.9,0.6,0.4,0.8 vs negatives 0.7,0.2,0.1,0.5: pairs won = 4+3+2+4 = 13 of 16
    assert m["roc_auc"] == pytest.approx(13 / 16)


def test_roc_auc_with_ties_equals_mann_whitney():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.random(300) + 0.3 * y, 1)  # coarse scores -> many ties
    u = sps.mannwhitneyu(s[y == 1], s[y == 0]).statistic
    assert roc_auc(y, s) == pytest.approx(u / ((y == 1).sum() * (y == 0).sum()))
    assert roc_auc([1, 1], [0.2, 0.3]) is None


def test_multiclass_macro_metrics_by_hand():
    y_true = ["a", "a", "b", "b", "c", "c"]
    y_pred = ["a", "b", "b", "b", "c", "a"]
    m = multiclass_metrics(y_true, y_pred)
    # a: tp1 fp1 fn1 -> p .5 r .5 ; b: tp2 fp1 fn0 -> p 2/3 r 1 ; c: tp1 fp0 fn1 -> p 1 r .5
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["precision_macro"] == pytest.approx((0.5 + 2 / 3 + 1) / 3)
    assert m["recall_macro"] == pytest.approx((0.5 + 1 + 0.5) / 3)
    f1 = [0.5, 2 * (2 / 3) / (5 / 3), 2 * 0.5 / 1.5]
    assert m["f1_macro"] == pytest.approx(sum(f1) / 3)


def test_multiclass_counts_ignore_labels_outside_the_given_classes():
    y_true = ["a", "a", "b", "z", "z", "c"]
    y_pred = ["a", "z", "b", "b", "z", "c"]
    m = multiclass_metrics(y_true, y_pred, classes=["a", "b", "c"])
    # a: tp1 fp0 fn1 -> p 1 r .5 ; b: tp1 fp1 fn0 -> p .5 r 1 ; c: tp1 fp0 fn0 -> p 1 r 1 ("z" is no class)
    assert m["precision_macro"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert m["recall_macro"] == pytest.approx((0.5 + 1 + 1) / 3)
    assert m["accuracy"] == pytest.approx(4 / 6)  # "z" = "z" is still a correct prediction


def test_multiclass_with_every_label_distinct_scores_zero_per_class():
    y_true = [f"id-{i}" for i in range(5000)]
    y_pred = [f"id-{i}" if i % 5 == 0 else f"other-{i}" for i in range(5000)]
    m = multiclass_metrics(y_true, y_pred)
    # 1,000 classes with tp 1 (p = r = 1), 4,000 true-only (r = 0) and 4,000 predicted-only (p = 0).
    assert m["precision_macro"] == pytest.approx(1000 / 9000)
    assert m["recall_macro"] == pytest.approx(1000 / 9000)
    assert m["accuracy"] == pytest.approx(0.2)


def test_multiclass_auc_is_macro_one_vs_rest():
    y = np.array([0, 1, 2, 0, 1, 2])
    scores = np.eye(3)[y] * 0.8 + 0.1  # perfect scores
    m = multiclass_metrics(y, y, scores, classes=[0, 1, 2])
    assert m["roc_auc_macro"] == pytest.approx(1.0)


def test_regression_metrics_by_hand():
    m = regression_metrics([1.0, 2.0, 3.0, 4.0], [1.0, 2.5, 2.0, 4.0])
    # errors 0, .5, -1, 0 -> mse .3125, mae .375; ss_tot = 5 -> r2 = 1 - 1.25/5
    assert m["rmse"] == pytest.approx(0.3125**0.5)
    assert m["mae"] == pytest.approx(0.375)
    assert m["r2"] == pytest.approx(0.75)


def test_bias_gaps_by_hand():
    y_true = [1, 1, 0, 0, 1, 1, 0, 0]
    y_pred = [1, 1, 1, 0, 1, 0, 0, 0]
    group = ["m", "m", "m", "m", "f", "f", "f", "f"]
    out = bias_metrics(y_true, y_pred, {"sex": group})["sex"]
    assert out["segments"]["m"]["selection_rate"] == pytest.approx(0.75)
    assert out["segments"]["f"]["selection_rate"] == pytest.approx(0.25)
    assert out["segments"]["m"]["true_positive_rate"] == pytest.approx(1.0)
    assert out["segments"]["f"]["true_positive_rate"] == pytest.approx(0.5)
    assert out["selection_rate_gap"] == pytest.approx(0.5)
    assert out["true_positive_rate_gap"] == pytest.approx(0.5)
    assert out["disparate_impact"] == pytest.approx(1 / 3)


def test_bias_segments_are_grouped_by_their_text():
    # 1 and "1" are one segment, as they are one key in the report (before, one silently replaced the other).
    out = bias_metrics([1, 0, 1, 0], [1, 1, 0, 0], {"code": [1, "1", 2.5, None]})["code"]
    assert out["segments"]["1"] == {"count": 2.0, "selection_rate": 1.0, "true_positive_rate": 1.0}
    assert set(out["segments"]) == {"1", "2.5", "None"}


def test_a_continuous_attribute_gets_one_segment_per_value():
    rng = np.random.default_rng(5)
    truth, pred = rng.integers(0, 2, 3000), rng.integers(0, 2, 3000)
    values = rng.normal(size=3000).round(6)
    out = bias_metrics(truth, pred, {"income": values})["income"]
    assert len(out["segments"]) == len(set(values.tolist()))
    first = str(values[0])
    rows = values == values[0]
    assert out["segments"][first]["selection_rate"] == pytest.approx(pred[rows].mean())
