"""Profiles: exact counts, mergeability (property-based), quantile bound and lossless JSON."""

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_drift import DatasetProfile, Kind, batch_from_arrays, build_batch, derive_spec, merge, profile
from mlops_drift.profile_io import numeric_quantiles

NUMBERS = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.0, 1.0, 2.5]))
WORDS = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "zz", "new"]))


def _batch(nums, cats):
    return batch_from_arrays({"x": [math.nan if v is None else v for v in nums]}, {"c": cats})


def test_numeric_profile_counts_match_direct_computation():
    values = np.array([1.0, 2.0, 2.0, 3.0, np.nan, 10.0, -5.0, np.inf])
    spec = derive_spec(batch_from_arrays({"x": [0.0, 1.0, 2.0, 3.0, 4.0]}), n_bins=4)
    feature = profile(batch_from_arrays({"x": values}), spec).features[0]
    edges = feature.edges
    bounds = [-math.inf, *edges, math.inf]
    finite = values[np.isfinite(values)]
    expected = [int(np.sum((finite >= lo) & (finite < hi))) for lo, hi in itertools.pairwise(bounds)]
    assert list(feature.histogram) == expected
    assert (feature.count, feature.present, feature.missing) == (8, 6, 2)
    assert (feature.minimum, feature.maximum) == (-5.0, 10.0)
    assert feature.mean == pytest.approx(finite.mean())
    assert feature.variance == pytest.approx(finite.var())


def test_categorical_profile_tracks_top_categories_and_other():
    baseline = batch_from_arrays(categorical={"c": ["a"] * 5 + ["b"] * 3 + ["c"] * 2 + [None]})
    base = profile(baseline, max_categories=2).features[0]
    assert base.categories == ("a", "b")
    assert (base.counts, base.other, base.missing, base.count) == ((5, 3), 2, 1, 11)
    current = batch_from_arrays(categorical={"c": ["a", "q", "q", "r", None, None]})
    cur = profile(current, profile(baseline, max_categories=2).spec).features[0]
    assert (cur.counts, cur.other, cur.missing) == ((1, 0), 3, 2)
    assert cur.unseen_examples == ("q", "r")


def test_type_mismatches_are_counted_apart_from_missing():
    batch = build_batch({"x": ["1.5", "", "abc", "2", "NA", "oops"]}, {"x": Kind.NUMERIC})
    feature = profile(batch).features[0]
    assert (feature.present, feature.missing, feature.type_mismatches) == (2, 2, 2)


def _rows(rows):
    return _batch([r[0] for r in rows], [r[1] for r in rows])


@settings(max_examples=60, deadline=None)
@given(
    left=st.lists(st.tuples(NUMBERS, WORDS), min_size=0, max_size=60),
    right=st.lists(st.tuples(NUMBERS, WORDS), min_size=0, max_size=60),
    ref=st.lists(st.tuples(st.floats(-1e3, 1e3), WORDS), min_size=1, max_size=40),
)
def test_merge_equals_single_pass(left, right, ref):
    spec = profile(_rows(ref), max_categories=3).spec
    parts = [profile(_rows(rows), spec) for rows in (left, right)]
    single = profile(_rows(left + right), spec)
    merged = merge(*parts)
    assert merged.record_count == single.record_count
    for m, s in zip(merged.features, single.features, strict=True):
        md, sd = m.__dict__.copy(), s.__dict__.copy()
        for key in ("mean", "std"):
            assert md.pop(key, 0.0) == pytest.approx(sd.pop(key, 0.0), rel=1e-9, abs=1e-6)
        assert md == sd


def test_merge_rejects_profiles_on_different_specs():
    a = profile(batch_from_arrays({"x": [1.0, 2.0, 3.0]}))
    b = profile(batch_from_arrays({"x": [5.0, 6.0, 7.0]}))
    with pytest.raises(ValueError, match="different specs"):
        merge(a, b)


def test_quantiles_from_histogram_are_within_one_bin_of_exact():
    values = np.random.default_rng(3).lognormal(size=20_000)
    feature = profile(batch_from_arrays({"x": values})).features[0]
    bounds = np.clip([feature.minimum, *feature.edges, feature.maximum], feature.minimum, feature.maximum)
    for key, estimate in numeric_quantiles(feature).items():
        exact = float(np.quantile(values, int(key[1:]) / 100, method="inverted_cdf"))
        j = np.searchsorted(bounds, exact, side="right") - 1
        width = bounds[min(j + 1, len(bounds) - 1)] - bounds[j]
        assert abs(estimate - exact) <= width + 1e-12


def test_json_round_trip_is_lossless():
    rng = np.random.default_rng(5)
    batch = batch_from_arrays(
        {"x": rng.normal(size=500), "y": [math.nan] * 500}, {"c": rng.choice(["a", "b", "c"], 500).tolist()}
    )
    original = profile(batch)
    restored = DatasetProfile.from_dict(json.loads(json.dumps(original.to_dict())))
    assert restored == original
    assert restored.to_dict() == original.to_dict()


def test_spec_derived_in_one_pass_equals_derive_spec():
    rng = np.random.default_rng(9)
    batch = batch_from_arrays(
        {"x": rng.integers(0, 7, 1000).astype(float)}, {"c": rng.choice(["u", "v"], 1000).tolist()}
    )
    assert profile(batch).spec == derive_spec(batch)
