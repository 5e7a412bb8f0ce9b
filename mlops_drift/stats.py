"""Distribution distances and tests on binned counts and raw samples (numpy and math only)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

# Proportions below PSI_EPSILON are raised to it before PSI's log ratio, so an empty bin on one side
# contributes a large but finite term: (p - eps) * ln(p / eps) instead of infinity.
PSI_EPSILON = 1e-4
# PSI on numeric features uses ~10 equal-mass bins, the scale its usual 0.1 / 0.2 thresholds assume.
PSI_GROUPS = 10
_GAMMA_EPS = 1e-15
_GAMMA_MAX_ITER = 10_000
_TINY = 1e-300
Counts = Sequence[int] | npt.NDArray[np.int64] | npt.NDArray[np.float64]


def _proportions(counts: Counts) -> npt.NDArray[np.float64]:
    """Counts to proportions (all zeros when the total is zero)."""
    arr = np.asarray(counts, dtype=np.float64)
    total = arr.sum()
    return arr / total if total > 0 else arr


def equal_mass_groups(expected: Counts, n_groups: int = PSI_GROUPS) -> npt.NDArray[np.intp]:
    """Start indices that merge consecutive fine bins into about n_groups bins of equal baseline mass."""
    cum = np.cumsum(_proportions(expected))
    cuts = np.searchsorted(cum, np.arange(1, n_groups) / n_groups - 1e-12, side="left") + 1
    # The outer bins stay groups of their own: below the baseline's minimum and above its maximum.
    starts = np.unique(np.concatenate([[0, 1, len(expected) - 1], cuts]))
    return starts[starts < len(expected)]


def regroup(counts: Counts, starts: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
    """Sum fine-bin counts into the groups beginning at starts."""
    return np.add.reduceat(np.asarray(counts, dtype=np.int64), starts)


def psi(expected: Counts, actual: Counts, epsilon: float = PSI_EPSILON) -> float:
    """Population stability index: sum((a - e) * ln(a / e)) over bins, proportions floored at epsilon."""
    e = np.maximum(_proportions(expected), epsilon)
    a = np.maximum(_proportions(actual), epsilon)
    return float(np.sum((a - e) * np.log(a / e)))


def js_distance(p_counts: Counts, q_counts: Counts) -> float:
    """Jensen-Shannon distance with log base 2 (in [0, 1]), the square root of the JS divergence."""
    p, q = _proportions(p_counts), _proportions(q_counts)
    m = (p + q) / 2
    divergence = 0.0
    for x in (p, q):
        nz = x > 0
        divergence += 0.5 * float(np.sum(x[nz] * np.log2(x[nz] / m[nz])))
    return math.sqrt(max(divergence, 0.0))


def ks_binned(expected: Counts, actual: Counts) -> float:
    """KS distance between CDFs evaluated at the bin edges only.

    It is a maximum over a subset of the points the exact two-sample statistic maximises over, so
    binned <= exact; and exact <= binned + max over bins of max(p_i, q_i) (the largest bin mass).
    """
    cdf_e = np.cumsum(_proportions(expected))[:-1]
    cdf_a = np.cumsum(_proportions(actual))[:-1]
    return float(np.max(np.abs(cdf_e - cdf_a))) if cdf_e.size else 0.0


def ks_distance(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Exact two-sample Kolmogorov-Smirnov statistic sup|F_a - F_b| on raw values (NaN ignored)."""
    x = np.sort(np.asarray(a, dtype=np.float64))
    y = np.sort(np.asarray(b, dtype=np.float64))
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if x.size == 0 or y.size == 0:
        raise ValueError("ks_distance needs at least one value in each sample")
    points = np.concatenate([x, y])
    cdf_x = np.searchsorted(x, points, side="right") / x.size
    cdf_y = np.searchsorted(y, points, side="right") / y.size
    return float(np.max(np.abs(cdf_x - cdf_y)))


def _lower_gamma_series(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x) by its power series (good for x < a + 1)."""
    term = total = 1.0 / a
    denom = a
    for _ in range(_GAMMA_MAX_ITER):
        denom += 1.0
        term *= x / denom
        total += term
        if abs(term) < abs(total) * _GAMMA_EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_gamma_fraction(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) by Lentz's continued fraction (good for x >= a + 1)."""
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _GAMMA_MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _GAMMA_EPS:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a)."""
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0:
        return 1.0
    if x < a + 1.0:
        return max(0.0, 1.0 - _lower_gamma_series(a, x))
    return _upper_gamma_fraction(a, x)


def beyond_extreme(k: int, n: int, m: int) -> float:
    """P(at least k of m current values lie below all n baseline values) when all n + m are exchangeable.

    That is the chance the k smallest of the n + m values are all current: prod (m - i) / (n + m - i).
    Exact for continuous values; ties only make it smaller (a conservative test).
    """
    if k <= 0:
        return 1.0
    if k > m:
        return 0.0
    return math.exp(sum(math.log((m - i) / (n + m - i)) for i in range(k)))


def chi2_sf(statistic: float, dof: float) -> float:
    """Survival function of the chi-square distribution: P(X >= statistic) with dof degrees of freedom."""
    return gamma_q(dof / 2.0, statistic / 2.0)


def chi2_homogeneity(expected: Counts, actual: Counts) -> tuple[float, int, float]:
    """Pearson chi-square test that two count vectors share a distribution: (statistic, dof, p-value)."""
    table = np.array([expected, actual], dtype=np.float64)
    table = table[:, table.sum(axis=0) > 0]
    rows, total = table.sum(axis=1), table.sum()
    dof = table.shape[1] - 1
    if dof < 1 or (rows == 0).any():
        return 0.0, max(dof, 0), 1.0
    fitted = np.outer(rows, table.sum(axis=0)) / total
    statistic = float(np.sum((table - fitted) ** 2 / fitted))
    return statistic, dof, chi2_sf(statistic, dof)


def histogram_quantiles(
    edges: Sequence[float], counts: Counts, lo: float, hi: float, probs: Sequence[float]
) -> list[float]:
    """Quantiles by linear interpolation inside fixed bins clamped to [lo, hi] (the observed min/max).

    Error bound: the order statistic x_(ceil(p*n)) lies in the same clamped bin as the estimate, so the
    error is at most that bin's width; rank error is at most that bin's count.
    """
    bounds = np.clip(np.array([lo, *edges, hi], dtype=np.float64), lo, hi)
    cum = np.cumsum(np.asarray(counts, dtype=np.float64))
    total = cum[-1]
    out = []
    for p in probs:
        rank = max(p * total, 1e-12)
        j = int(np.searchsorted(cum, rank, side="left"))
        before = cum[j - 1] if j else 0.0
        share = (rank - before) / (cum[j] - before)
        # A weighted sum, not lo + share * (hi - lo): hi - lo overflows for bounds near the float limit.
        out.append(float(bounds[j] * (1.0 - share) + bounds[j + 1] * share))
    return out
