"""Profile specs: per-feature kind, fixed histogram edges and tracked categories, derived from a baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlops_drift.batch import FeatureBatch, FloatArray, Kind
from mlops_drift.ranges import range_edges
from mlops_drift.sketch import ValueSketch

# Fine quantile bins: KS and quantiles use them all; PSI regroups them into ~10 equal-mass bins.
DEFAULT_BINS = 100
DEFAULT_MAX_CATEGORIES = 50


@dataclass(frozen=True)
class FeatureSpec:
    """How one feature is profiled: numeric on fixed interior edges, or categorical on tracked values.

    Numeric bins are (-inf, e0), [e0, e1), ..., [e_last, +inf): len(edges) + 1 bins, open at both ends.
    Categorical counts go to the tracked categories; anything else goes to the "__other__" bucket.
    """

    name: str
    kind: Kind
    edges: tuple[float, ...] = ()
    categories: tuple[str, ...] = ()
    sketch: ValueSketch | None = None  # every baseline value, when the categories do not cover them

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "edges": list(self.edges),
            "categories": list(self.categories),
            "sketch": self.sketch.to_dict() if self.sketch is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSpec:
        """Inverse of to_dict."""
        return cls(
            name=str(data["name"]),
            kind=Kind(data["kind"]),
            edges=tuple(float(e) for e in data.get("edges", ())),
            categories=tuple(str(c) for c in data.get("categories", ())),
            sketch=ValueSketch.from_dict(data["sketch"]) if data.get("sketch") else None,
        )


@dataclass(frozen=True)
class ProfileSpec:
    """The ordered features of a dataset; the order is the positional column order of CSV payloads."""

    features: tuple[FeatureSpec, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Feature names in positional order."""
        return tuple(f.name for f in self.features)

    def get(self, name: str) -> FeatureSpec | None:
        """The spec for one feature, or None."""
        return next((f for f in self.features if f.name == name), None)

    def kinds(self) -> dict[str, Kind]:
        """Feature name to kind."""
        return {f.name: f.kind for f in self.features}

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {"features": [f.to_dict() for f in self.features]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProfileSpec:
        """Inverse of to_dict."""
        return cls(tuple(FeatureSpec.from_dict(f) for f in data["features"]))


def edges_from_sorted(ordered: FloatArray, n_bins: int = DEFAULT_BINS) -> tuple[float, ...]:
    """Edges at the 1/n .. (n-1)/n "lower" quantiles of sorted finite values plus the range edges."""
    if ordered.size == 0 or n_bins < 2:
        return ()
    # "lower" quantiles are observed values, so a discrete feature gets edges at its own values.
    positions = (np.arange(1, n_bins) * (ordered.size - 1)) // n_bins
    interior = tuple(float(e) for e in np.unique(ordered[positions]))
    return range_edges(interior, float(ordered[0]), float(ordered[-1]))


def quantile_edges(values: FloatArray, n_bins: int = DEFAULT_BINS) -> tuple[float, ...]:
    """Interior edges at the 1/n .. (n-1)/n quantiles of the finite values, duplicates removed."""
    return edges_from_sorted(np.sort(values[np.isfinite(values)]), n_bins)


def ranked_categories(counts: Counter[Any], max_categories: int = DEFAULT_MAX_CATEGORIES) -> tuple[str, ...]:
    """The most frequent present values of a counter (ties broken by value), at most max_categories."""
    present = ((v, c) for v, c in counts.items() if v is not None)
    ranked = sorted(present, key=lambda kv: (-kv[1], str(kv[0])))
    return tuple(str(v) for v, _ in ranked[:max_categories])


def sketch_of(counts: Counter[Any], tracked: tuple[str, ...]) -> ValueSketch | None:
    """The sketch of every present value, or None when the tracked categories are all of them."""
    present = [str(value) for value in counts if value is not None]
    return ValueSketch.of(present) if len(present) > len(tracked) else None


def top_categories(values: Iterable[object], max_categories: int = DEFAULT_MAX_CATEGORIES) -> tuple[str, ...]:
    """The most frequent present values (ties broken by value), at most max_categories."""
    return ranked_categories(Counter(values), max_categories)


def derive_spec(
    batch: FeatureBatch, n_bins: int = DEFAULT_BINS, max_categories: int = DEFAULT_MAX_CATEGORIES
) -> ProfileSpec:
    """Derive fixed edges and tracked categories from a baseline batch."""
    features = [
        FeatureSpec(name, Kind.NUMERIC, edges=quantile_edges(values, n_bins))
        for name, values in batch.numeric.items()
    ]
    for name, values in batch.categorical.items():
        counts = Counter(values.tolist())
        ranked = ranked_categories(counts, max_categories)
        features.append(
            FeatureSpec(name, Kind.CATEGORICAL, categories=ranked, sketch=sketch_of(counts, ranked))
        )
    order = {name: i for i, name in enumerate(batch.names)}
    return ProfileSpec(tuple(sorted(features, key=lambda f: order[f.name])))
