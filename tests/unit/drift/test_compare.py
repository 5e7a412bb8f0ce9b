"""Drift verdicts: no drift on identical or same-distribution data, detection of known shifts."""

import numpy as np
import pytest

from mlops_drift import DriftThresholds, Kind, Status, batch_from_arrays, build_batch, compare, profile

N = 5000


def _data(seed, *, loc=0.0, scale=1.0, cats=("a", "b", "c"), p=None, missing=0.0, n=N):
    rng = np.random.default_rng(seed)
    x = rng.normal(loc, scale, n)
    x[rng.random(n) < missing] = np.nan
    c = rng.choice(list(cats), n, p=p).tolist()
    return batch_from_arrays({"x": x, "y": rng.exponential(size=n)}, {"c": c})


def _report(current, baseline=None, thresholds=None):
    base = profile(baseline or _data(1))
    return compare(base, profile(current, base.spec), thresholds)


def _feature(report, name):
    return next(f for f in report.features if f.name == name)


def test_identical_data_has_zero_drift():
    data = _data(1)
    report = _report(data, data)
    assert report.status is Status.OK
    for feature in report.features:
        assert feature.metrics["psi"] == 0.0
        assert feature.metrics.get("ks", 0.0) == 0.0
        assert feature.metrics.get("js", 0.0) == 0.0


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_same_distribution_is_not_drift(seed):
    report = _report(_data(seed))
    assert report.status is Status.OK, report.to_dict()


def test_mean_shift_is_detected():
    report = _report(_data(2, loc=0.5))
    assert _feature(report, "x").status is Status.DRIFT
    assert {"psi", "ks"} <= set(_feature(report, "x").breaches)
    assert _feature(report, "y").status is Status.OK


def test_variance_change_is_detected():
    assert "psi" in _feature(_report(_data(2, scale=2.0)), "x").breaches


def test_new_categories_are_detected():
    report = _report(_data(2, cats=("a", "b", "c", "d", "e")))
    c = _feature(report, "c")
    assert c.status is Status.DRIFT
    assert c.metrics["new_category_rate"] == pytest.approx(0.4, abs=0.03)
    assert "new_category_rate" in c.breaches


def test_category_frequency_shift_is_detected():
    c = _feature(_report(_data(2, p=[0.6, 0.3, 0.1])), "c")
    assert {"psi", "js"} & set(c.breaches)


def test_rising_missing_rate_is_detected():
    x = _feature(_report(_data(2, missing=0.3)), "x")
    assert x.metrics["missing_rate_change"] == pytest.approx(0.3, abs=0.03)
    assert "missing_rate_increase" in x.breaches


def test_type_mismatches_are_detected():
    base = profile(batch_from_arrays({"x": np.arange(1000.0)}))
    current = ["1.5"] * 800 + ["oops"] * 200
    cur = profile(build_batch({"x": current}, {"x": Kind.NUMERIC}), base.spec)
    x = compare(base, cur).features[0]
    assert x.metrics["type_mismatch_rate"] == pytest.approx(0.2)
    assert "type_mismatch_rate" in x.breaches


def test_too_few_records_is_insufficient_data_never_drift():
    report = _report(_data(2, loc=5.0, n=50))
    assert report.status is Status.INSUFFICIENT_DATA
    assert all(f.status is Status.INSUFFICIENT_DATA for f in report.features)
    assert report.drifted_features == ()


def test_chi_square_decides_only_for_small_samples():
    # Significant at the per-test level: alpha 0.01 shared by 3 features x 5 tests
    small = _feature(_report(_data(2, n=400, p=[0.5, 0.3, 0.2]), _data(1, n=400)), "c")
    assert small.metrics["p_value"] < 0.01 / 15
    assert "p_value" in small.breaches
    big = _feature(_report(_data(2, p=[0.38, 0.33, 0.29])), "c")
    assert big.metrics["p_value"] < 0.01
    assert "p_value" not in big.breaches


def test_per_feature_threshold_overrides():
    thresholds = DriftThresholds(per_feature={"x": {"psi": 10.0, "ks": 1.0}})
    report = _report(_data(2, loc=0.5), thresholds=thresholds)
    assert _feature(report, "x").status is Status.OK
    with pytest.raises(ValueError, match="unknown threshold"):
        DriftThresholds(per_feature={"x": {"psy": 1}}).for_feature("x")


def test_report_to_dict_shape():
    out = _report(_data(2, loc=0.5)).to_dict()
    assert out["status"] == "drift"
    assert out["drifted_features"] == ["x"]
    assert {"name", "kind", "status", "metrics", "breaches", "thresholds"} <= set(out["features"][0])


def test_compare_requires_the_baseline_spec():
    base = profile(_data(1))
    with pytest.raises(ValueError, match="spec"):
        compare(base, profile(_data(2)))
