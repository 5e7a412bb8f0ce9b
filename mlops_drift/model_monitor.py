"""Import a SageMaker Model Monitor statistics.json (+ constraints.json) pair as a baseline profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_drift.batch import normal_category
from mlops_drift.profile import CategoricalProfile, DatasetProfile, FeatureProfile, NumericProfile
from mlops_drift.ranges import rebinned
from mlops_drift.spec import DEFAULT_MAX_CATEGORIES

_NUMERIC_TYPES = {"Integral", "Fractional"}


def kll_histogram(buckets: list[Mapping[str, Any]]) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """KLL buckets [lower, upper, count] to our fixed bins: interior edges are the inner lower bounds.

    The first and last buckets become the open-ended outer bins; buckets sharing a lower bound are
    merged. A value equal to an inner bound is counted by Model Monitor in either neighbour, so the
    imported counts can differ from re-profiling the raw data by the values lying exactly on a bound.
    """
    ordered = sorted(buckets, key=lambda b: float(b["lower_bound"]))
    if not ordered:
        return (), (0,)
    edges: list[float] = []
    counts = [round(float(ordered[0]["count"]))]
    for bucket in ordered[1:]:
        lower, count = float(bucket["lower_bound"]), round(float(bucket["count"]))
        if lower <= (edges[-1] if edges else float(ordered[0]["lower_bound"])):
            counts[-1] += count
        else:
            edges.append(lower)
            counts.append(count)
    return tuple(edges), tuple(counts)


def _numeric(stats: Mapping[str, Any], name: str) -> NumericProfile:
    """A numeric profile from numerical_statistics (std_dev is taken as the population std)."""
    common = stats.get("common", {})
    present, missing = int(common.get("num_present", 0)), int(common.get("num_missing", 0))
    edges, histogram = kll_histogram(stats.get("distribution", {}).get("kll", {}).get("buckets", []))
    std = float(stats.get("std_dev", 0.0))
    return rebinned(
        NumericProfile(
            name=name,
            edges=edges,
            count=present + missing,
            missing=missing,
            type_mismatches=0,
            present=present,
            minimum=float(stats["min"]) if present else None,
            maximum=float(stats["max"]) if present else None,
            mean=float(stats.get("mean", 0.0)),
            std=std,
            histogram=histogram,
        )
    )


def _categorical(stats: Mapping[str, Any], name: str, domain: list[str], cap: int) -> CategoricalProfile:
    """A categorical profile from string_statistics; domain values without a bucket get count 0."""
    common = stats.get("common", {})
    present, missing = int(common.get("num_present", 0)), int(common.get("num_missing", 0))
    buckets = stats.get("distribution", {}).get("categorical", {}).get("buckets", [])
    counts: dict[str, int] = {}
    for bucket in buckets:  # values in normal form (as capture is read): "True" and "true" are one
        key = normal_category(str(bucket["value"])) or str(bucket["value"])
        counts[key] = counts.get(key, 0) + round(float(bucket["count"]))
    for value in domain:
        counts.setdefault(normal_category(str(value)) or str(value), 0)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:cap]
    tracked = sum(c for _, c in ranked)
    return CategoricalProfile(
        name=name,
        categories=tuple(v for v, _ in ranked),
        count=present + missing,
        missing=missing,
        counts=tuple(c for _, c in ranked),
        other=max(present - tracked, 0),
        unseen_examples=(),
    )


def _constraint_index(constraints: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """constraints.json features by name."""
    return {str(f["name"]): f for f in (constraints or {}).get("features", [])}


def _feature(entry: Mapping[str, Any], constraint: Mapping[str, Any], cap: int) -> FeatureProfile | None:
    """One feature; the constraints' inferred_type wins over the statistics' one; Unknown is skipped."""
    name = str(entry["name"])
    inferred = constraint.get("inferred_type") or entry.get("inferred_type")
    if inferred in _NUMERIC_TYPES and "numerical_statistics" in entry:
        return _numeric(entry["numerical_statistics"], name)
    if inferred == "String" and "string_statistics" in entry:
        domain = list(constraint.get("string_constraints", {}).get("domains", []))
        return _categorical(entry["string_statistics"], name, domain, cap)
    return None


def from_model_monitor(
    statistics: Mapping[str, Any],
    constraints: Mapping[str, Any] | None = None,
    max_categories: int = DEFAULT_MAX_CATEGORIES,
) -> DatasetProfile:
    """Baseline profile from Model Monitor's statistics.json and (optional) constraints.json, parsed."""
    index = _constraint_index(constraints)
    features = [_feature(f, index.get(str(f["name"]), {}), max_categories) for f in statistics["features"]]
    kept = tuple(f for f in features if f is not None)
    count = statistics.get("dataset", {}).get("item_count")
    return DatasetProfile(int(count) if count is not None else max((f.count for f in kept), default=0), kept)
