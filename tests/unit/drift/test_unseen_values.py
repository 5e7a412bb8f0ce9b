"""Unseen values beyond the tracked top categories: a hashed bitmap over every baseline value."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mlops_drift import CategoricalProfile, DatasetProfile, Status, batch_from_arrays, compare, merge, profile

IDS = 100_000


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{i}" for i in range(n)]


def _feature(base: list[str], current: list[str]):
    baseline = DatasetProfile.from_dict(
        json.loads(json.dumps(profile(batch_from_arrays(categorical={"c": base})).to_dict()))
    )
    return compare(baseline, profile(batch_from_arrays(categorical={"c": current}), baseline.spec)).features[
        0
    ]


def test_every_id_replaced_by_a_new_one_is_drift() -> None:
    c = _feature(_ids("old", IDS), _ids("new", IDS))
    assert c.status is Status.DRIFT and "new_category_rate" in c.breaches
    assert c.metrics["new_category_rate"] == pytest.approx(1.0, abs=0.01)


def test_the_same_ids_again_are_not_drift() -> None:
    rng = np.random.default_rng(1)
    base = _ids("id", IDS)
    current = [base[i] for i in rng.integers(0, IDS, IDS)]
    c = _feature(base, current)
    assert c.metrics["new_category_rate"] == 0.0 and c.status is Status.OK


@pytest.mark.parametrize("seed", range(4))
def test_the_new_value_estimate_is_within_its_documented_error(seed: int) -> None:
    # Given d baseline values and current traffic where a known share of records carry values never seen
    rng = np.random.default_rng(seed)
    d, n, share = 20_000, 20_000, float(rng.uniform(0.05, 0.5))
    base = _ids("b", d)
    fresh = rng.random(n) < share
    current = [f"n-{i}" if is_new else base[int(rng.integers(d))] for i, is_new in enumerate(fresh)]
    c = _feature(base, current)
    # Then the estimate is within 4 standard errors of the exact share (a set difference, the reference);
    # docs/drift.md: each distinct new value escapes with probability f (the bitmap's fill), so the
    # estimate's variance is sum(w_i^2) f / (1 - f) / n^2 for distinct new values of w_i records each.
    known = set(base)
    exact = sum(v not in known for v in current) / n
    bits = 8 * 2 ** math.ceil(math.log2(d))
    fill = 1 - math.exp(-d / bits)
    sd = math.sqrt(fresh.sum() * fill / (1 - fill)) / n
    assert abs(c.metrics["new_category_rate"] - exact) <= 4 * sd + 1e-12


def test_partial_profiles_merge_their_unseen_counts() -> None:
    baseline = profile(batch_from_arrays(categorical={"c": _ids("b", 5000)}))
    parts = [_ids("b", 3000), _ids("x", 2000), _ids("y", 1000)]
    profiles = [profile(batch_from_arrays(categorical={"c": p}), baseline.spec) for p in parts]
    whole = profile(batch_from_arrays(categorical={"c": [v for p in parts for v in p]}), baseline.spec)
    merged = merge(*profiles).features[0]
    assert isinstance(merged, CategoricalProfile) and merged == whole.features[0]
