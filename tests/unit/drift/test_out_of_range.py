"""Values beyond the baseline's observed range are seen: an out-of-range rate and bins past min and max."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from mlops_drift import DatasetProfile, NumericProfile, Status, batch_from_arrays, compare, profile

N = 1000


def _verdict(base: np.ndarray, current: np.ndarray):
    baseline = profile(batch_from_arrays({"x": base}))
    return compare(baseline, profile(batch_from_arrays({"x": current}), baseline.spec)).features[0]


@pytest.mark.parametrize("new", [6.0, 1e6, 5.000001])
def test_a_constant_feature_that_moves_is_drift(new: float) -> None:
    x = _verdict(np.full(N, 5.0), np.full(N, new))
    assert x.status is Status.DRIFT
    assert x.metrics["out_of_range_rate"] == 1.0
    assert {"out_of_range_rate", "psi", "ks"} <= set(x.breaches)


@pytest.mark.parametrize("new", [2.0, 100.0, -1.0])
def test_a_binary_feature_whose_ones_move_is_drift(new: float) -> None:
    rng = np.random.default_rng(1)
    base = (rng.random(N) < 0.4).astype(float)
    current = (rng.random(N) < 0.4).astype(float)
    current[current == 1.0] = new
    x = _verdict(base, current)
    share = float(np.mean(current == new))
    assert x.metrics["out_of_range_rate"] == pytest.approx(share)
    assert x.metrics["ks"] == pytest.approx(share, abs=0.05) and x.status is Status.DRIFT


def test_same_distribution_raises_no_out_of_range_alarm() -> None:
    rng = np.random.default_rng(2)
    for n in (100, 300, 1000):
        x = _verdict(rng.normal(size=n), rng.normal(size=n))
        assert "out_of_range_rate" not in x.breaches
        assert 0.0 <= x.metrics["out_of_range_rate"] <= 0.1


def test_a_profile_without_range_bins_is_rebinned_exactly_on_load() -> None:
    values = np.random.default_rng(3).gamma(2.0, size=500)
    old = profile(batch_from_arrays({"x": values})).to_dict()
    feature = old["features"][0]
    # The first format kept only interior quantile edges: drop the range edges and merge their bins.
    interior = [e for e in feature["edges"] if e != feature["min"] and e <= feature["max"]]
    bounds = [-math.inf, *interior, math.inf]
    feature |= {
        "edges": interior,
        "histogram": [int(np.sum((values >= a) & (values < b))) for a, b in itertools.pairwise(bounds)],
    }
    loaded = DatasetProfile.from_dict(json.loads(json.dumps(old | {"format_version": 1})))
    upgraded = loaded.features[0]
    assert isinstance(upgraded, NumericProfile)
    assert upgraded.edges[0] == values.min() and upgraded.edges[-1] == np.nextafter(values.max(), np.inf)
    reference = profile(batch_from_arrays({"x": values}), loaded.spec).features[0]
    assert isinstance(reference, NumericProfile) and upgraded.histogram == reference.histogram
