"""Mergeable per-feature profiles: counts on fixed bins, Chan moments, min/max and capped categories."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlops_drift.batch import FeatureBatch, FloatArray, Kind, ObjectArray, categorical_column, numeric_column
from mlops_drift.coded import CodedColumn, coded_column
from mlops_drift.moments import merge_moments, moments
from mlops_drift.sketch import ValueSketch, unseen_count
from mlops_drift.spec import (
    DEFAULT_BINS,
    DEFAULT_MAX_CATEGORIES,
    FeatureSpec,
    ProfileSpec,
    edges_from_sorted,
    ranked_categories,
    sketch_of,
)

OTHER = "__other__"
# How many untracked category values a profile keeps as examples (the smallest ones, so merging is exact).
MAX_UNSEEN_EXAMPLES = 20
QUANTILE_PROBS = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


@dataclass(frozen=True)
class NumericProfile:
    """Profile of a numeric feature; count = present + missing + type_mismatches."""

    name: str
    edges: tuple[float, ...]
    count: int
    missing: int
    type_mismatches: int
    present: int
    minimum: float | None
    maximum: float | None
    mean: float
    std: float  # population standard deviation (always finite, unlike the sum of squares)
    histogram: tuple[int, ...]  # len(edges) + 1 counts, outer bins open-ended

    kind = Kind.NUMERIC

    @property
    def variance(self) -> float:
        """Population variance of the present values (0 when there are none; inf beyond float range)."""
        return self.std * self.std


@dataclass(frozen=True)
class CategoricalProfile:
    """Profile of a categorical feature; count = present + missing, present = sum(counts) + other."""

    name: str
    categories: tuple[str, ...]
    count: int
    missing: int
    counts: tuple[int, ...]
    other: int
    unseen_examples: tuple[str, ...]  # smallest untracked values, at most MAX_UNSEEN_EXAMPLES
    # Every baseline value, when the tracked categories do not cover them all; unseen: records whose
    # value is certainly not in it (mlops_drift.sketch).
    sketch: ValueSketch | None = None
    unseen: int = 0

    kind = Kind.CATEGORICAL
    type_mismatches = 0

    @property
    def present(self) -> int:
        """Records with a value."""
        return self.count - self.missing


FeatureProfile = NumericProfile | CategoricalProfile


@dataclass(frozen=True)
class DatasetProfile:
    """Profiles of every feature of a dataset, in spec order."""

    record_count: int
    features: tuple[FeatureProfile, ...]

    def feature(self, name: str) -> FeatureProfile | None:
        """One feature's profile, or None."""
        return next((f for f in self.features if f.name == name), None)

    @property
    def spec(self) -> ProfileSpec:
        """The spec this profile was built on (profile the current data with it)."""
        return ProfileSpec(tuple(_spec_of(f) for f in self.features))

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON (derived figures included for readers, ignored by from_dict)."""
        from mlops_drift.profile_io import dataset_to_dict

        return dataset_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetProfile:
        """Inverse of to_dict."""
        from mlops_drift.profile_io import dataset_from_dict

        return dataset_from_dict(data)


def _spec_of(feature: FeatureProfile) -> FeatureSpec:
    """The spec a feature profile was built on."""
    if isinstance(feature, NumericProfile):
        return FeatureSpec(feature.name, Kind.NUMERIC, edges=feature.edges)
    return FeatureSpec(feature.name, Kind.CATEGORICAL, categories=feature.categories, sketch=feature.sketch)


def sorted_finite(values: FloatArray) -> FloatArray:
    """The finite values, sorted (sorting once serves edges, histogram and min/max)."""
    finite = np.isfinite(values)
    return np.sort(values if finite.all() else values[finite])


def profile_numeric(
    name: str,
    values: FloatArray,
    mismatches: int,
    edges: tuple[float, ...],
    ordered: FloatArray | None = None,
) -> NumericProfile:
    """Profile one numeric column; non-finite values count as missing unless counted as mismatches."""
    x = sorted_finite(values) if ordered is None else ordered
    n = int(x.size)
    # Bin i is [edges[i-1], edges[i]): the values below each edge, differenced, give the counts.
    below = np.searchsorted(x, np.asarray(edges, dtype=np.float64), side="left")
    counts = np.diff(np.concatenate([[0], below, [n]]))
    mean, std = moments(x)
    return NumericProfile(
        name=name,
        edges=edges,
        count=len(values),
        missing=int(values.size) - n - mismatches,
        type_mismatches=mismatches,
        present=n,
        minimum=float(x[0]) if n else None,
        maximum=float(x[-1]) if n else None,
        mean=mean,
        std=std,
        histogram=tuple(int(c) for c in counts),
    )


def profile_categorical(
    name: str,
    values: ObjectArray | CodedColumn,
    categories: tuple[str, ...],
    counter: Counter[Any] | None = None,
    sketch: ValueSketch | None = None,
) -> CategoricalProfile:
    """Profile one categorical column against the tracked categories (and the baseline's sketch)."""
    if counter is not None:
        counter = counter.copy()
    else:
        counter = values.counts() if isinstance(values, CodedColumn) else Counter(values.tolist())
    missing = counter.pop(None, 0)
    counts = tuple(counter.pop(c, 0) for c in categories)
    unseen = unseen_count(counter, sketch) if sketch is not None else 0
    return CategoricalProfile(
        name=name,
        categories=categories,
        count=len(values),
        missing=missing,
        counts=counts,
        other=sum(counter.values()),
        unseen_examples=tuple(heapq.nsmallest(MAX_UNSEEN_EXAMPLES, (str(v) for v in counter))),
        sketch=sketch,
        unseen=unseen,
    )


def _derive_and_profile(batch: FeatureBatch, n_bins: int, max_categories: int) -> DatasetProfile:
    """Baseline profiling in one pass per column: derive edges/categories and profile on them."""
    features: dict[str, FeatureProfile] = {}
    for name, values in batch.numeric.items():
        ordered = sorted_finite(values)
        edges = edges_from_sorted(ordered, n_bins)
        features[name] = profile_numeric(name, values, batch.type_mismatches.get(name, 0), edges, ordered)
    for name, cats in batch.categorical.items():
        counter = Counter(cats.tolist())
        ranked = ranked_categories(counter, max_categories)
        features[name] = profile_categorical(name, cats, ranked, counter, sketch_of(counter, ranked))
    return DatasetProfile(batch.n_rows, tuple(features[name] for name in batch.names))


def _profile_feature(batch: FeatureBatch, spec: FeatureSpec) -> FeatureProfile:
    """Profile one feature, converting the column when the batch typed it differently from the spec."""
    if spec.kind is Kind.NUMERIC:
        if spec.name in batch.numeric:
            values, mismatches = batch.numeric[spec.name], batch.type_mismatches.get(spec.name, 0)
        elif spec.name in batch.categorical:
            values, mismatches = numeric_column(batch.categorical[spec.name].tolist())
        else:
            values, mismatches = np.full(batch.n_rows, np.nan), 0
        return profile_numeric(spec.name, values, mismatches, spec.edges)
    cats: ObjectArray | CodedColumn
    if (coded := coded_column(batch.categorical, spec.name)) is not None:
        cats = coded  # counted from its codes: no object array is built
    elif spec.name in batch.categorical:
        cats = batch.categorical[spec.name]
    elif spec.name in batch.numeric:
        cats = categorical_column(batch.numeric[spec.name].tolist())
    else:
        cats = np.full(batch.n_rows, None, dtype=object)
    return profile_categorical(spec.name, cats, spec.categories, sketch=spec.sketch)


def profile(
    batch: FeatureBatch,
    spec: ProfileSpec | None = None,
    *,
    n_bins: int = DEFAULT_BINS,
    max_categories: int = DEFAULT_MAX_CATEGORIES,
) -> DatasetProfile:
    """Profile a batch on a spec; without one, derive it from the batch (same result as derive_spec)."""
    if spec is None:
        return _derive_and_profile(batch, n_bins, max_categories)
    return DatasetProfile(batch.n_rows, tuple(_profile_feature(batch, f) for f in spec.features))


def _merge_numeric(a: NumericProfile, b: NumericProfile) -> NumericProfile:
    """Merge two numeric profiles (Chan et al. parallel mean/variance, scaled to stay finite)."""
    n = a.present + b.present
    mean, std = merge_moments((a.present, a.mean, a.std), (b.present, b.mean, b.std))
    mins = [v for v in (a.minimum, b.minimum) if v is not None]
    maxs = [v for v in (a.maximum, b.maximum) if v is not None]
    return NumericProfile(
        name=a.name,
        edges=a.edges,
        count=a.count + b.count,
        missing=a.missing + b.missing,
        type_mismatches=a.type_mismatches + b.type_mismatches,
        present=n,
        minimum=min(mins) if mins else None,
        maximum=max(maxs) if maxs else None,
        mean=mean,
        std=std,
        histogram=tuple(x + y for x, y in zip(a.histogram, b.histogram, strict=True)),
    )


def _merge_categorical(a: CategoricalProfile, b: CategoricalProfile) -> CategoricalProfile:
    """Merge two categorical profiles built on the same tracked categories."""
    examples = heapq.nsmallest(MAX_UNSEEN_EXAMPLES, set(a.unseen_examples) | set(b.unseen_examples))
    return CategoricalProfile(
        name=a.name,
        categories=a.categories,
        count=a.count + b.count,
        missing=a.missing + b.missing,
        counts=tuple(x + y for x, y in zip(a.counts, b.counts, strict=True)),
        other=a.other + b.other,
        unseen_examples=tuple(examples),
        sketch=a.sketch,
        unseen=a.unseen + b.unseen,
    )


def _merge_feature(a: FeatureProfile, b: FeatureProfile) -> FeatureProfile:
    """Merge two profiles of one feature; they must share a spec."""
    if _spec_of(a) != _spec_of(b):
        raise ValueError(f"cannot merge {a.name!r}: profiles were built on different specs")
    if isinstance(a, NumericProfile) and isinstance(b, NumericProfile):
        return _merge_numeric(a, b)
    if isinstance(a, CategoricalProfile) and isinstance(b, CategoricalProfile):
        return _merge_categorical(a, b)
    raise ValueError(f"cannot merge {a.name!r}: different kinds")  # pragma: no cover - spec check above


def merge(first: DatasetProfile, *others: DatasetProfile) -> DatasetProfile:
    """Merge profiles of disjoint parts of a dataset; equals profiling the concatenated data."""
    result = first
    for other in others:
        if result.spec.names != other.spec.names:
            raise ValueError("cannot merge profiles with different features")
        features = tuple(_merge_feature(a, b) for a, b in zip(result.features, other.features, strict=True))
        result = DatasetProfile(result.record_count + other.record_count, features)
    return result


def std_dev(feature: NumericProfile) -> float:
    """Population standard deviation of the present values."""
    return feature.std
