"""Baseline profiles from CSV and from a Model Monitor statistics/constraints pair."""

import io
import math

import numpy as np
import pytest

from mlops_drift import (
    CategoricalProfile,
    DriftThresholds,
    NumericProfile,
    Thresholds,
    batch_from_arrays,
    compare,
    from_model_monitor,
    profile,
    profile_csv,
)
from mlops_drift.model_monitor import kll_histogram

CSV = "label,age,color\n1,30,red\n0,40,blue\n1,,red\n0,50,green\n"


def test_profile_csv_with_header_excludes_target():
    result = profile_csv(io.StringIO(CSV), target="label")
    assert [f.name for f in result.features] == ["age", "color"]
    age, color = result.features
    assert isinstance(age, NumericProfile) and isinstance(color, CategoricalProfile)
    assert (age.present, age.missing, age.mean) == (3, 1, 40.0)
    assert dict(zip(color.categories, color.counts, strict=True)) == {"red": 2, "blue": 1, "green": 1}


def test_profile_csv_without_header_uses_given_names(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text("1,30,red\n0,40,blue\n")
    result = profile_csv(path, header=False, feature_names=["y", "age", "color"], target="y")
    assert result.spec.names == ("age", "color")
    assert result.record_count == 2


def test_profile_csv_rejects_ragged_rows():
    with pytest.raises(ValueError, match="columns"):
        profile_csv(io.StringIO("a,b\n1,2\n3\n"))


STATISTICS = {
    "version": 0,
    "dataset": {"item_count": 100},
    "features": [
        {
            "name": "age",
            "inferred_type": "Integral",
            "numerical_statistics": {
                "common": {"num_present": 98, "num_missing": 2},
                "mean": 40.0,
                "sum": 3920.0,
                "std_dev": 5.0,
                "min": 20.0,
                "max": 70.0,
                "distribution": {
                    "kll": {
                        "buckets": [
                            {"lower_bound": 20.0, "upper_bound": 30.0, "count": 10.0},
                            {"lower_bound": 30.0, "upper_bound": 40.0, "count": 40.0},
                            {"lower_bound": 40.0, "upper_bound": 50.0, "count": 38.0},
                            {"lower_bound": 50.0, "upper_bound": 70.0, "count": 10.0},
                        ]
                    }
                },
            },
        },
        {
            "name": "color",
            "inferred_type": "String",
            "string_statistics": {
                "common": {"num_present": 100, "num_missing": 0},
                "distinct_count": 3,
                "distribution": {
                    "categorical": {
                        "buckets": [{"value": "red", "count": 60}, {"value": "blue", "count": 30}]
                    }
                },
            },
        },
    ],
}
CONSTRAINTS = {
    "version": 0,
    "features": [
        {"name": "age", "inferred_type": "Integral", "completeness": 0.98},
        {
            "name": "color",
            "inferred_type": "String",
            "completeness": 1.0,
            "string_constraints": {"domains": ["red", "blue", "violet"]},
        },
    ],
}


def test_model_monitor_import():
    baseline = from_model_monitor(STATISTICS, CONSTRAINTS)
    age, color = baseline.features
    assert baseline.record_count == 100
    assert isinstance(age, NumericProfile)
    # KLL bucket edges plus the range edges (min, and the float above max) with empty outer bins
    assert age.edges == (20.0, 30.0, 40.0, 50.0, math.nextafter(70.0, math.inf))
    assert age.histogram == (0, 10, 40, 38, 10, 0)
    assert (age.count, age.present, age.missing, age.minimum, age.maximum) == (100, 98, 2, 20.0, 70.0)
    assert age.variance == pytest.approx(25.0)
    assert isinstance(color, CategoricalProfile)
    assert color.categories == ("red", "blue", "violet")
    assert color.counts == (60, 30, 0)
    assert color.other == 10  # present values not covered by the buckets


def test_kll_buckets_with_repeated_bounds_are_merged():
    edges, counts = kll_histogram(
        [
            {"lower_bound": 1.0, "upper_bound": 1.0, "count": 5},
            {"lower_bound": 1.0, "upper_bound": 1.0, "count": 3},
            {"lower_bound": 2.0, "upper_bound": 3.0, "count": 2},
        ]
    )
    assert edges == (2.0,)
    assert counts == (8, 2)


def test_imported_baseline_drives_drift_checks():
    baseline = from_model_monitor(STATISTICS, CONSTRAINTS)
    rng = np.random.default_rng(0)
    shifted = batch_from_arrays({"age": rng.normal(65, 3, 500)}, {"color": ["violet"] * 500})
    # The imported baseline has 98 present ages, below the default 100-record minimum.
    thresholds = DriftThresholds(Thresholds(min_records=50))
    report = compare(baseline, profile(shifted, baseline.spec), thresholds)
    assert set(report.drifted_features) == {"age", "color"}
