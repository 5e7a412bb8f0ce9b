"""Critical values that make a verdict depend on the sample sizes and on how many tests are run at once.

Each check needs its configured threshold (the smallest shift worth an alarm) passed and a result that
one distribution gives with probability below alpha: the dataset-level false-alarm rate divided among
every test of the check (Bonferroni). KS and rate changes use critical values; PSI and JS a chi-square
test of homogeneity on the same cells.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from mlops_drift.stats import chi2_sf

# Tests a feature contributes to a check (distribution x2, range or new values, missing values, type).
TESTS_PER_FEATURE = 5
_BISECTION_STEPS = 200


def ks_critical(n: int, m: int, alpha: float) -> float:
    """Two-sample KS distance exceeded with probability alpha under one law (Kolmogorov, asymptotic)."""
    return math.sqrt(-math.log(alpha / 2.0) / 2.0) * math.sqrt((n + m) / (n * m))


def chi2_quantile(alpha: float, dof: float) -> float:
    """The x with P(chi-square(dof) >= x) = alpha, by bisection on the survival function."""
    lo, hi = 0.0, max(1.0, dof)
    while chi2_sf(hi, dof) > alpha:
        lo, hi = hi, hi * 2.0
    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if chi2_sf(mid, dof) > alpha else (lo, mid)
        if hi - lo <= 1e-12 * hi:
            break
    return (lo + hi) / 2.0


def rate_change_critical(part_a: int, whole_a: int, part_b: int, whole_b: int, alpha: float) -> float:
    """One-sided change of a proportion exceeded with probability alpha (two-proportion z, pooled)."""
    if not whole_a or not whole_b:
        return 0.0
    pooled = (part_a + part_b) / (whole_a + whole_b)
    spread = math.sqrt(pooled * (1.0 - pooled) * (1.0 / whole_a + 1.0 / whole_b))
    return NormalDist().inv_cdf(1.0 - alpha) * spread
