"""Lossless JSON (plain dict) form of profiles; derived figures are added for readers and ignored on load."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from mlops_drift.batch import Kind, normal_category
from mlops_drift.jsonsafe import finite
from mlops_drift.profile import (
    OTHER,
    QUANTILE_PROBS,
    CategoricalProfile,
    DatasetProfile,
    FeatureProfile,
    NumericProfile,
    std_dev,
)
from mlops_drift.ranges import rebinned
from mlops_drift.sketch import ValueSketch
from mlops_drift.stats import histogram_quantiles

# 2: numeric "std" replaces "m2" (finite for any values); version 1 profiles are read and converted.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


def numeric_quantiles(feature: NumericProfile) -> dict[str, float]:
    """Quantiles estimated from the fixed histogram (error at most one clamped bin width)."""
    if not feature.present or feature.minimum is None or feature.maximum is None:
        return {}
    values = histogram_quantiles(
        feature.edges, feature.histogram, feature.minimum, feature.maximum, QUANTILE_PROBS
    )
    return {f"p{round(p * 100):02d}": v for p, v in zip(QUANTILE_PROBS, values, strict=True)}


def _numeric_to_dict(f: NumericProfile) -> dict[str, Any]:
    """Plain-dict form of a numeric profile."""
    return {
        "name": f.name,
        "kind": Kind.NUMERIC.value,
        "count": f.count,
        "missing": f.missing,
        "type_mismatches": f.type_mismatches,
        "present": f.present,
        "min": f.minimum,
        "max": f.maximum,
        "mean": f.mean,
        "std": f.std,
        "edges": list(f.edges),
        "histogram": list(f.histogram),
        "derived": {"std_dev": std_dev(f), "quantiles": numeric_quantiles(f)},
    }


def _categorical_to_dict(f: CategoricalProfile) -> dict[str, Any]:
    """Plain-dict form of a categorical profile."""
    frequencies = dict(zip(f.categories, f.counts, strict=True))
    return {
        "name": f.name,
        "kind": Kind.CATEGORICAL.value,
        "count": f.count,
        "missing": f.missing,
        "categories": list(f.categories),
        "counts": list(f.counts),
        "other": f.other,
        "unseen_examples": list(f.unseen_examples),
        "sketch": f.sketch.to_dict() if f.sketch is not None else None,
        "unseen": f.unseen,
        "derived": {"present": f.present, "frequencies": frequencies | {OTHER: f.other}},
    }


def feature_to_dict(feature: FeatureProfile) -> dict[str, Any]:
    """Plain-dict form of one feature profile."""
    if isinstance(feature, NumericProfile):
        return _numeric_to_dict(feature)
    return _categorical_to_dict(feature)


def _optional_float(value: Any) -> float | None:
    """A float, or None for null / NaN."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _std(data: Mapping[str, Any]) -> float:
    """The standard deviation: stored (version 2) or from the sum of squares m2 (version 1)."""
    if "std" in data:
        return float(data["std"] if data["std"] is not None else math.inf)
    present = int(data["present"])
    return math.sqrt(max(float(data["m2"]), 0.0) / present) if present else 0.0


def _numeric_from_dict(data: Mapping[str, Any]) -> NumericProfile:
    """A numeric profile as stored (either format)."""
    return NumericProfile(
        name=str(data["name"]),
        edges=tuple(float(e) for e in data["edges"]),
        count=int(data["count"]),
        missing=int(data["missing"]),
        type_mismatches=int(data["type_mismatches"]),
        present=int(data["present"]),
        minimum=_optional_float(data["min"]),
        maximum=_optional_float(data["max"]),
        mean=float(data["mean"]),
        std=_std(data),
        histogram=tuple(int(c) for c in data["histogram"]),
    )


def feature_from_dict(data: Mapping[str, Any]) -> FeatureProfile:
    """Inverse of feature_to_dict."""
    if Kind(data["kind"]) is Kind.NUMERIC:
        return _numeric_from_dict(data)
    return CategoricalProfile(
        name=str(data["name"]),
        categories=tuple(str(c) for c in data["categories"]),
        count=int(data["count"]),
        missing=int(data["missing"]),
        counts=tuple(int(c) for c in data["counts"]),
        other=int(data["other"]),
        unseen_examples=tuple(str(v) for v in data.get("unseen_examples", ())),
        sketch=ValueSketch.from_dict(data["sketch"]) if data.get("sketch") else None,
        unseen=int(data.get("unseen", 0)),
    )


def renormalised(feature: CategoricalProfile) -> CategoricalProfile:
    """The profile with its categories in normal form (counts of values that now coincide added up)."""
    counts: dict[str, int] = {}
    for category, count in zip(feature.categories, feature.counts, strict=True):
        key = normal_category(category) or category
        counts[key] = counts.get(key, 0) + count
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    examples = sorted({normal_category(v) or v for v in feature.unseen_examples} - set(counts))
    return replace(
        feature,
        categories=tuple(c for c, _ in ranked),
        counts=tuple(n for _, n in ranked),
        unseen_examples=tuple(examples),
    )


def dataset_to_dict(profile: DatasetProfile) -> dict[str, Any]:
    """Plain-dict form of a dataset profile."""
    document = {
        "format_version": FORMAT_VERSION,
        "record_count": profile.record_count,
        "features": [feature_to_dict(f) for f in profile.features],
    }
    return dict(finite(document))


def dataset_from_dict(data: Mapping[str, Any]) -> DatasetProfile:
    """Inverse of dataset_to_dict."""
    version = int(data.get("format_version", 1))
    if version not in READABLE_VERSIONS:
        raise ValueError(f"unsupported profile format_version {version} (readable: {READABLE_VERSIONS})")
    features = tuple(feature_from_dict(f) for f in data["features"])
    if version == 1:  # first-format baselines gain range bins and normal categories, exactly
        features = tuple(rebinned(f) if isinstance(f, NumericProfile) else renormalised(f) for f in features)
    return DatasetProfile(int(data["record_count"]), features)
