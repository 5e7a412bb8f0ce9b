"""Verdicts that account for the sample size and the number of features: few false alarms at small n."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from mlops_drift import Status, batch_from_arrays, compare, profile
from mlops_drift.significance import chi2_quantile, ks_critical

LEVELS = np.array(["a", "b", "c", "d"], dtype=object)


def _batch(n: int, rng: np.random.Generator, features: int):
    numeric = {f"x{i}": rng.normal(size=n) for i in range(features - features // 3)}
    numeric |= {"binary": (rng.random(n) < 0.3).astype(float)} if features > 2 else {}
    categorical = {
        f"c{i}": rng.choice(LEVELS, n, p=[0.4, 0.3, 0.2, 0.1]).tolist() for i in range(features // 3)
    }
    return batch_from_arrays(numeric, categorical)


@pytest.mark.parametrize(("base_n", "n", "features"), [(5000, 150, 11), (100, 100, 11), (1000, 100, 30)])
def test_identically_distributed_traffic_rarely_alarms(base_n: int, n: int, features: int) -> None:
    alarms = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        baseline = profile(_batch(base_n, rng, features))
        report = compare(baseline, profile(_batch(n, rng, features), baseline.spec))
        alarms += report.status is Status.DRIFT
    assert alarms <= 2  # 1 % expected at the defaults: 0.6 of 60 checks


def test_a_one_standard_deviation_shift_is_still_found_at_100_records() -> None:
    rng = np.random.default_rng(3)
    baseline = profile(batch_from_arrays({"x": rng.normal(size=5000)}))
    current = profile(batch_from_arrays({"x": rng.normal(1.0, 1.0, 100)}), baseline.spec)
    assert compare(baseline, current).status is Status.DRIFT


def test_critical_values_match_scipy() -> None:
    # Kolmogorov's asymptotic two-sample critical value, and the chi-square quantile
    n, m, alpha = 300, 700, 0.01
    assert ks_critical(n, m, alpha) == pytest.approx(
        sps.kstwobign.isf(alpha) * np.sqrt((n + m) / (n * m)), rel=1e-3
    )
    for dof in (1, 3, 9, 40):
        assert chi2_quantile(alpha, dof) == pytest.approx(sps.chi2.isf(alpha, dof), rel=1e-6)
