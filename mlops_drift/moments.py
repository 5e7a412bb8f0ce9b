"""Mean and standard deviation that stay finite for any finite values (scaled by a power of two)."""

from __future__ import annotations

import math
import sys

from mlops_drift.batch import FloatArray

FLOAT_MAX = sys.float_info.max


def _scale(peak: float) -> float:
    """A power of two at least half of peak (dividing by it is exact and maps values into [-2, 2])."""
    if not peak > 0 or not math.isfinite(peak):
        return 1.0
    return math.ldexp(1.0, math.frexp(peak)[1] - 1)


def moments(ordered: FloatArray) -> tuple[float, float]:
    """(mean, population std) of sorted finite values; (0, 0) when there are none."""
    if not ordered.size:
        return 0.0, 0.0
    scale = _scale(max(abs(float(ordered[0])), abs(float(ordered[-1]))))
    scaled = ordered / scale
    mean = float(scaled.mean())
    dev = scaled - mean
    std = math.sqrt(float(dev @ dev) / ordered.size)
    return mean * scale, min(std * scale, FLOAT_MAX)


def merge_moments(a: tuple[int, float, float], b: tuple[int, float, float]) -> tuple[float, float]:
    """(mean, std) of two disjoint parts given as (count, mean, std) (Chan et al., on scaled values)."""
    (na, ma, sa), (nb, mb, sb) = a, b
    if not nb:
        return ma, sa
    if not na:
        return mb, sb
    n = na + nb
    scale = _scale(max(abs(ma), abs(mb), sa, sb))
    ma, mb, sa, sb = ma / scale, mb / scale, sa / scale, sb / scale
    delta = mb - ma
    mean = ma + delta * (nb / n)
    variance = (na * sa * sa + nb * sb * sb) / n + delta * delta * (na / n) * (nb / n)
    return mean * scale, min(math.sqrt(variance) * scale, FLOAT_MAX)
