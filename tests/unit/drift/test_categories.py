"""One normalisation of categorical values across CSV and JSON, at registration and at check time."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from mlops_drift import DatasetProfile, Kind, Status, compare, parse_capture, profile, profile_csv
from mlops_drift.batch import categorical_column, normal_category
from tests.unit.drift.capture_lines import capture_line

N = 400
RNG = np.random.default_rng(7)
FLAGS = RNG.random(N) < 0.3
CODES = RNG.integers(1, 4, N)


def _baseline_csv() -> DatasetProfile:
    """As pandas writes it: booleans as True/False, integer codes of a float column as 1.0."""
    rows = [f"{bool(flag)},{float(code)}" for flag, code in zip(FLAGS, CODES, strict=True)]
    text = "flag,code\n" + "\n".join(rows) + "\n"
    return profile_csv(io.StringIO(text), kinds={"flag": Kind.CATEGORICAL, "code": Kind.CATEGORICAL})


@pytest.mark.parametrize("encoding", ["JSON", "CSV"])
def test_the_same_values_written_differently_are_not_drift(encoding: str) -> None:
    baseline = _baseline_csv()
    if encoding == "JSON":  # JSON traffic: true/false and integers
        payloads = [json.dumps([[bool(f), int(c)]]) for f, c in zip(FLAGS, CODES, strict=True)]
        lines = [capture_line(p, "JSON", "application/json") for p in payloads]
    else:  # CSV traffic: lower-case booleans, integer codes with a trailing .00
        lines = [capture_line(f"{str(bool(f)).lower()},{c}.00") for f, c in zip(FLAGS, CODES, strict=True)]
    current = profile(parse_capture(lines, baseline.spec).features, baseline.spec)
    report = compare(baseline, current)
    assert report.status is Status.OK, report.to_dict()
    for feature in report.features:
        assert feature.metrics["js"] == 0.0 and feature.metrics["psi"] == 0.0


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        (True, "true"),
        ("TRUE", "true"),
        (" False ", "false"),
        (1.0, "1"),
        ("1.0", "1"),
        ("1e3", "1000"),
        ("0.50", "0.5"),
        (0.5, "0.5"),
        ("007", "7"),
        (7, "7"),
        ("red", "red"),
        (" red ", "red"),
        ("NA", None),
        (None, None),
        ("inf", "inf"),
        ("1_000", "1_000"),
    ],
)
def test_normal_category(raw: object, normal: str | None) -> None:
    assert normal_category(raw) == normal


def test_first_format_profiles_are_normalised_on_load() -> None:
    old = {
        "record_count": 10,
        "features": [
            {"name": "c", "kind": "categorical", "count": 10, "missing": 0, "other": 0}
            | {"categories": ["True", "1.0", "1", "b"], "counts": [4, 3, 2, 1], "unseen_examples": []}
        ],
    }
    (feature,) = DatasetProfile.from_dict(old).features
    assert dict(zip(feature.categories, feature.counts, strict=True)) == {"1": 5, "true": 4, "b": 1}


def test_booleans_and_numbers_that_compare_equal_stay_apart() -> None:
    # True == 1 == 1.0 in Python; as categories they are "true" and "1"
    assert categorical_column([True, 1, 1.0, False, 0]).tolist() == ["true", "1", "1", "false", "0"]


# A JSON parser reads an integer literal exactly (a Python int) and a literal with a fraction or an exponent
# as a float; CSV cells are text. Each pair is one value as it reaches the engine in two ways.
SAME_VALUE = [
    pytest.param("9007199254740993", 9007199254740993, id="id above 2**53: CSV text and JSON integer"),
    pytest.param("1234567890123456789", 1234567890123456789, id="64-bit id: CSV text and JSON integer"),
    pytest.param("-9223372036854775808", -(2**63), id="smallest int64: CSV text and JSON integer"),
    pytest.param("1e+30", 10**30, id="pandas float text and JSON integer"),
    pytest.param(1e30, 10**30, id="JSON float and JSON integer"),
    pytest.param("9007199254740993.0", json.loads("9007199254740993.0"), id="float text and JSON float"),
]


@pytest.mark.parametrize(("one", "other"), SAME_VALUE)
def test_large_integers_are_one_category_however_they_arrive(one: object, other: object) -> None:
    assert normal_category(one) == normal_category(other)


def test_a_large_integer_category_keeps_every_digit() -> None:
    # Two ids a float cannot tell apart are two categories
    assert normal_category("9007199254740993") == "9007199254740993"
    assert normal_category("9007199254740992") != normal_category("9007199254740993")
    assert normal_category("1e+30") == "1" + "0" * 30


def test_large_integer_ids_in_a_csv_baseline_and_json_traffic_are_not_drift() -> None:
    # Given store ids beyond 2**53 written as text in the baseline CSV and as JSON integers in traffic
    ids = [2**60 + 7 * i for i in range(4)]
    picks = RNG.integers(0, 4, N)
    text = "store\n" + "\n".join(str(ids[p]) for p in picks) + "\n"
    baseline = profile_csv(io.StringIO(text), kinds={"store": Kind.CATEGORICAL})
    lines = [capture_line(json.dumps([[ids[p]]]), "JSON", "application/json") for p in picks]
    current = profile(parse_capture(lines, baseline.spec).features, baseline.spec)
    # Then the categories coincide: no drift
    (feature,) = compare(baseline, current).features
    assert feature.metrics["js"] == 0.0
    assert sorted(baseline.features[0].categories) == sorted(str(i) for i in ids)
