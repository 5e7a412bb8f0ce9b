"""Values near the float limit: moments stay finite and exact enough, profiles and reports stay valid JSON."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest

from mlops_drift import DatasetProfile, NumericProfile, batch_from_arrays, compare, merge, profile

BIG = np.array([1.7e308, -1.6e308, 1.2e308, 9e307, 1.79e308, -1.79e308, 3.0, 1e308] * 20)


def _exact_moments(values: np.ndarray) -> tuple[float, float]:
    """Mean and population standard deviation in exact rational arithmetic (the reference)."""
    xs = [Fraction(float(v)) for v in values]
    mean = sum(xs, Fraction(0)) / len(xs)
    var = sum(((x - mean) ** 2 for x in xs), Fraction(0)) / len(xs)
    scale = Fraction(2) ** 1000
    return float(mean), math.sqrt(float(var / scale**2)) * float(scale)


def _numeric(profile_: DatasetProfile) -> NumericProfile:
    feature = profile_.features[0]
    assert isinstance(feature, NumericProfile)
    return feature


def test_moments_of_extreme_values_are_finite_and_match_exact_arithmetic() -> None:
    feature = _numeric(profile(batch_from_arrays({"x": BIG})))
    mean, std = _exact_moments(BIG)
    assert feature.mean == pytest.approx(mean, rel=1e-12)
    assert feature.std == pytest.approx(std, rel=1e-12)
    json.dumps(profile(batch_from_arrays({"x": BIG})).to_dict(), allow_nan=False)


def test_merging_extreme_halves_keeps_finite_exact_moments() -> None:
    whole = profile(batch_from_arrays({"x": BIG}))
    halves = [profile(batch_from_arrays({"x": part}), whole.spec) for part in (BIG[:37], BIG[37:])]
    merged = _numeric(merge(*halves))
    mean, std = _exact_moments(BIG)
    assert merged.mean == pytest.approx(mean, rel=1e-12) and merged.std == pytest.approx(std, rel=1e-12)


def test_reports_on_extreme_values_are_valid_json() -> None:
    base = profile(batch_from_arrays({"x": BIG}, {"c": ["a"] * BIG.size}))
    current = profile(batch_from_arrays({"x": -BIG}, {"c": ["b"] * BIG.size}), base.spec)
    document = json.dumps(compare(base, current).to_dict(), allow_nan=False)
    quantiles = json.loads(json.dumps(current.to_dict(), allow_nan=False))["features"][0]["derived"]
    assert all(math.isfinite(q) for q in quantiles["quantiles"].values()) and "drift" in document


def test_profiles_of_the_first_format_are_still_read() -> None:
    old = {
        "record_count": 4,
        "features": [
            {"name": "x", "kind": "numeric", "count": 4, "missing": 0, "type_mismatches": 0, "present": 4}
            | {"min": 1.0, "max": 4.0, "mean": 2.5, "m2": 5.0, "edges": [2.0, 3.0], "histogram": [1, 1, 2]}
        ],
    }
    feature = _numeric(DatasetProfile.from_dict(old))
    assert feature.std == pytest.approx(float(np.std([1.0, 2.0, 3.0, 4.0])))
