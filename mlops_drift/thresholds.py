"""Drift thresholds: defaults, per-feature overrides and the minimum-sample rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class Thresholds:
    """Limits above which a feature counts as drifted (p_value: below which)."""

    psi: float = 0.2
    ks: float = 0.1
    js: float = 0.1
    p_value: float = 0.01
    # Chi-square decides only while both samples are at most this large: beyond it every trivial
    # difference is "significant", so the distances (PSI, JS) decide instead.
    p_value_max_records: int = 1000
    missing_rate_change: float = 0.1
    type_mismatch_rate: float = 0.05
    new_category_rate: float = 0.05
    # Dataset level (the default thresholds only): records whose width or field names differ from the
    # baseline's, above this share, are a schema-change finding (drift), whatever the number of records.
    schema_mismatch_rate: float = 0.01
    # Fewer records than this (baseline or current) -> "insufficient_data", never drifted.
    min_records: int = 100

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class DriftThresholds:
    """Default thresholds plus per-feature overrides (only the fields given are overridden)."""

    default: Thresholds = field(default_factory=Thresholds)
    per_feature: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def for_feature(self, name: str) -> Thresholds:
        """Effective thresholds for one feature."""
        overrides = self.per_feature.get(name)
        if not overrides:
            return self.default
        known = {f.name: f.type for f in fields(Thresholds)}
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise ValueError(f"unknown threshold(s) for {name!r}: {unknown}; allowed: {sorted(known)}")
        integers = ("min_records", "p_value_max_records")
        typed: dict[str, Any] = {k: int(v) if k in integers else float(v) for k, v in overrides.items()}
        return replace(self.default, **typed)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DriftThresholds:
        """Build from {"default": {...}, "per_feature": {name: {...}}}."""
        default = replace(Thresholds(), **dict(data.get("default", {})))
        return cls(default, {k: dict(v) for k, v in data.get("per_feature", {}).items()})
