"""Drift thresholds: defaults, per-feature overrides and the minimum-sample rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class Thresholds:
    """Limits above which a feature counts as drifted (p_value: below which)."""

    # Dataset-level false-alarm rate under identical distributions, shared by every test of a check;
    # each distance must also exceed its critical value at this rate (mlops_drift.significance).
    alpha: float = 0.01
    psi: float = 0.2
    ks: float = 0.1
    js: float = 0.1
    p_value: float = 0.01
    # Chi-square decides only while both samples are at most this large: beyond it every trivial
    # difference is "significant", so the distances (PSI, JS) decide instead.
    p_value_max_records: int = 1000
    # A rise of the missing-value rate above this alarms; a fall is reported, and alarms only when
    # missing_rate_decrease is set.
    missing_rate_increase: float = 0.1
    # Share of current values outside the baseline's [min, max] (alarms when also significant at p_value).
    out_of_range_rate: float = 0.01
    missing_rate_decrease: float | None = None
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


# Names accepted for compatibility: schedules of endpoints deployed from earlier blueprints send
# "missing_rate_change" for the manifest's missing_rate_increase.
ALIASES = {"missing_rate_change": "missing_rate_increase"}


def _canonical(values: Mapping[str, Any]) -> dict[str, Any]:
    """Threshold values under their current names."""
    return {ALIASES.get(name, name): value for name, value in values.items()}


def _typed(name: str, value: Any) -> Any:
    """A threshold value as its field's type (None stays None: the check is off)."""
    if value is None:
        return None
    return int(value) if name in ("min_records", "p_value_max_records") else float(value)


@dataclass(frozen=True)
class DriftThresholds:
    """Default thresholds plus per-feature overrides (only the fields given are overridden)."""

    default: Thresholds = field(default_factory=Thresholds)
    per_feature: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def for_feature(self, name: str) -> Thresholds:
        """Effective thresholds for one feature."""
        overrides = _canonical(self.per_feature.get(name) or {})
        if not overrides:
            return self.default
        known = {f.name for f in fields(Thresholds)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown threshold(s) for {name!r}: {unknown}; allowed: {sorted(known)}")
        return replace(self.default, **{k: _typed(k, v) for k, v in overrides.items()})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DriftThresholds:
        """Build from {"default": {...}, "per_feature": {name: {...}}}."""
        default = replace(Thresholds(), **_canonical(data.get("default", {})))
        return cls(default, {k: dict(v) for k, v in data.get("per_feature", {}).items()})
