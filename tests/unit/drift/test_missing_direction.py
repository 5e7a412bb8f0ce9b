"""Missing-rate checks follow the direction configured: increases alarm, decreases are reported."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_drift import DriftThresholds, Status, batch_from_arrays, compare, profile

N = 4000


def _column(missing: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.normal(size=N)
    values[rng.random(N) < missing] = np.nan
    return values


def _x(base_missing: float, cur_missing: float, thresholds: DriftThresholds | None = None):
    base = profile(batch_from_arrays({"x": _column(base_missing, 1)}))
    current = profile(batch_from_arrays({"x": _column(cur_missing, 2)}), base.spec)
    return compare(base, current, thresholds).features[0]


def test_a_drop_in_missing_values_is_reported_without_an_alarm_by_default() -> None:
    x = _x(0.3, 0.0)
    assert x.metrics["missing_rate_change"] == pytest.approx(-0.3, abs=0.03)
    assert x.status is Status.OK and x.breaches == ()


def test_a_drop_alarms_when_a_decrease_threshold_is_configured() -> None:
    x = _x(0.3, 0.0, DriftThresholds.from_dict({"default": {"missing_rate_decrease": 0.1}}))
    assert x.status is Status.DRIFT and x.breaches == ("missing_rate_decrease",)


def test_a_rise_alarms_as_an_increase() -> None:
    assert _x(0.0, 0.3).breaches == ("missing_rate_increase",)


def test_the_older_name_missing_rate_change_sets_the_increase_threshold() -> None:
    thresholds = DriftThresholds.from_dict({"default": {"missing_rate_change": 0.5}})
    assert thresholds.default.missing_rate_increase == 0.5
    assert _x(0.0, 0.3, thresholds).status is Status.OK
    per_feature = DriftThresholds(per_feature={"x": {"missing_rate_change": 0.5}})
    assert per_feature.for_feature("x").missing_rate_increase == 0.5
