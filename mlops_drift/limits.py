"""Effective limits of one feature's checks: configured thresholds raised to their critical values."""

from __future__ import annotations

from mlops_drift.profile import FeatureProfile, NumericProfile
from mlops_drift.significance import ks_critical, rate_change_critical
from mlops_drift.thresholds import Thresholds

Limits = dict[str, float]


def _quality(base: FeatureProfile, cur: FeatureProfile, t: Thresholds, alpha: float) -> Limits:
    """Missing-value and type-mismatch limits (two-proportion tests on all records)."""
    rise = rate_change_critical(base.missing, base.count, cur.missing, cur.count, alpha)
    mismatch = rate_change_critical(base.type_mismatches, base.count, cur.type_mismatches, cur.count, alpha)
    limits = {
        "missing_rate_increase": max(t.missing_rate_increase, rise),
        "type_mismatch_rate": max(t.type_mismatch_rate, mismatch),
        "p_value": min(t.p_value, alpha),
    }
    if t.missing_rate_decrease is not None:
        limits["missing_rate_decrease"] = max(t.missing_rate_decrease, rise)
    return limits


def _distribution(base: FeatureProfile, cur: FeatureProfile, t: Thresholds, alpha: float) -> Limits:
    """PSI, KS and JS limits (PSI and JS also need a significant chi-square on their cells)."""
    n, m = base.present, cur.present
    ks = max(t.ks, ks_critical(n, m, alpha)) if n and m and isinstance(base, NumericProfile) else t.ks
    return {"psi": t.psi, "ks": ks, "js": t.js}


def feature_limits(base: FeatureProfile, cur: FeatureProfile, t: Thresholds, tests: int) -> Limits:
    """Every limit of one feature's checks, at the false-alarm rate t.alpha shared by `tests` tests."""
    alpha = t.alpha / max(tests, 1)
    limits = _quality(base, cur, t, alpha) | _distribution(base, cur, t, alpha)
    return limits | {"new_category_rate": t.new_category_rate, "out_of_range_rate": t.out_of_range_rate}
