"""The baseline's observed range in its bins: an edge at the minimum and one just above the maximum.

With them, the first bin (-inf, min) and the last bin [next(max), +inf) hold no baseline value, so any
current value outside the observed range lands in a bin of its own that PSI, KS and the out-of-range
rate see (a constant or 0/1 baseline included).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlops_drift.profile import NumericProfile


def above(maximum: float) -> float | None:
    """The smallest float above the maximum, or None when there is none (the maximum is the float limit)."""
    edge = math.nextafter(maximum, math.inf)
    return edge if math.isfinite(edge) else None


def range_edges(edges: tuple[float, ...], lo: float, hi: float) -> tuple[float, ...]:
    """Interior edges plus the minimum and the float just above the maximum, sorted and unique."""
    extra = [lo] + [e for e in (above(hi),) if e is not None]
    return tuple(sorted({*edges, *extra}))


def _split(edges: list[float], counts: list[int], edge: float, *, upper: bool) -> None:
    """Insert an edge in place; the split bin's count goes to its upper (or lower) part."""
    if edge in edges:
        return
    k = bisect_right(edges, edge)  # bin k is [edges[k-1], edges[k]) and holds the new edge
    edges.insert(k, edge)
    count = counts[k]
    counts[k : k + 1] = [0, count] if upper else [count, 0]


def rebinned(feature: NumericProfile) -> NumericProfile:
    """The profile with range edges added; exact, since no value lies below min or above max."""
    if feature.minimum is None or feature.maximum is None:
        return feature
    edges, counts = list(feature.edges), list(feature.histogram)
    _split(edges, counts, feature.minimum, upper=True)
    if (edge := above(feature.maximum)) is not None:
        _split(edges, counts, edge, upper=False)
    if len(edges) == len(feature.edges):
        return feature
    return replace(feature, edges=tuple(edges), histogram=tuple(counts))


def out_of_range(base: NumericProfile, current: NumericProfile) -> tuple[int, int]:
    """Current values below the baseline's minimum and above its maximum (counted from the range bins)."""
    if base.minimum is None or base.maximum is None:
        return 0, 0
    edges, counts = base.edges, current.histogram
    low = bisect_left(edges, base.minimum)
    below = sum(counts[: low + 1]) if low < len(edges) and edges[low] == base.minimum else 0
    edge = above(base.maximum)
    high = bisect_left(edges, edge) if edge is not None else len(edges)
    return below, (sum(counts[high + 1 :]) if high < len(edges) and edges[high] == edge else 0)
