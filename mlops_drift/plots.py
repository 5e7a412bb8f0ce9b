"""Inline SVG plots in plain Python: distribution overlays, category bars and a score-over-time line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from mlops_drift.profile import CategoricalProfile, NumericProfile

WIDTH, HEIGHT, PAD = 520, 200, 36
BASE_COLOUR, CURRENT_COLOUR, LIMIT_COLOUR = "#4c72b0", "#dd8452", "#c44e52"
MAX_BARS = 12
# Fine bins are merged in runs so a plot shows about this many bars (100 quantile bins are noisy).
DISPLAY_BINS = 40


def _fmt(value: float) -> str:
    """Compact axis label."""
    return f"{value:.3g}"


def _svg(body: str, label: str, height: int = HEIGHT) -> str:
    """Wrap SVG elements in a titled, accessible root element."""
    return (
        f'<svg role="img" aria-label="{escape(label)}" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _legend(y: int) -> str:
    """Baseline/current colour key."""
    return (
        f'<rect x="{WIDTH - 170}" y="{y}" width="10" height="10" fill="{BASE_COLOUR}"/>'
        f'<text x="{WIDTH - 156}" y="{y + 9}" font-size="11">baseline</text>'
        f'<rect x="{WIDTH - 90}" y="{y}" width="10" height="10" fill="{CURRENT_COLOUR}"/>'
        f'<text x="{WIDTH - 76}" y="{y + 9}" font-size="11">current</text>'
    )


def _densities(feature: NumericProfile) -> list[tuple[float, float, float]]:
    """(left, right, density) per bin, the open outer bins clamped to the observed min and max."""
    if not feature.present or feature.minimum is None or feature.maximum is None:
        return []
    bounds = [feature.minimum, *feature.edges, feature.maximum]
    step = max(1, math.ceil(len(feature.histogram) / DISPLAY_BINS))
    out = []
    for i in range(0, len(feature.histogram), step):
        j = min(i + step, len(feature.histogram))
        count = sum(feature.histogram[i:j])
        left, right = max(bounds[i], feature.minimum), min(bounds[j], feature.maximum)
        if count and right > left:
            out.append((left, right, count / feature.present / (right - left)))
    return out


def _step_path(
    bins: list[tuple[float, float, float]], sx: float, window: tuple[float, float], sy: float
) -> str:
    """SVG path of a filled step density, clipped to the plotted window."""
    base_y = HEIGHT - PAD
    lo, hi = window
    parts = []
    for left, right, density in bins:
        left, right = max(left, lo), min(right, hi)
        if right > left:
            x1, x2, y = PAD + (left - lo) * sx, PAD + (right - lo) * sx, base_y - density * sy
            parts.append(f"M{x1:.1f},{base_y}V{y:.1f}H{x2:.1f}V{base_y}Z")
    return "".join(parts)


def _window(edges: tuple[float, ...], bins: list[tuple[float, float, float]]) -> tuple[float, float]:
    """The x range: the data's, cut to the baseline's interior edges plus a margin (long tails squash)."""
    lo, hi = min(b[0] for b in bins), max(b[1] for b in bins)
    if len(edges) >= 2:
        margin = 0.25 * (edges[-1] - edges[0])
        lo, hi = max(lo, edges[0] - margin), min(hi, edges[-1] + margin)
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def numeric_overlay(baseline: NumericProfile, current: NumericProfile) -> str:
    """Baseline vs current density on the baseline's fixed bins (outer bins clamped to min/max)."""
    base, cur = _densities(baseline), _densities(current)
    if not base or not cur:
        return _svg('<text x="20" y="40">no values to plot</text>', f"{baseline.name}: no data", 60)
    lo, hi = window = _window(baseline.edges, [*base, *cur])
    top = max(d for *_, d in (*base, *cur))
    sx = (WIDTH - 2 * PAD) / (hi - lo)
    sy = (HEIGHT - 2 * PAD) / (top if top > 0 else 1.0)
    body = (
        f'<path d="{_step_path(base, sx, window, sy)}" fill="{BASE_COLOUR}" fill-opacity="0.55"/>'
        f'<path d="{_step_path(cur, sx, window, sy)}" fill="{CURRENT_COLOUR}" fill-opacity="0.55"/>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#333"/>'
        f'<text x="{PAD}" y="{HEIGHT - PAD + 16}" font-size="11">{_fmt(lo)}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - PAD + 16}" font-size="11" text-anchor="end">{_fmt(hi)}</text>'
        f'<text x="{PAD}" y="20" font-size="11">density</text>{_legend(8)}'
    )
    return _svg(body, f"{baseline.name}: baseline vs current distribution")


def _shares(feature: CategoricalProfile) -> dict[str, float]:
    """Share of present values per tracked category plus "other"."""
    present = feature.present or 1
    shares = {c: n / present for c, n in zip(feature.categories, feature.counts, strict=True)}
    shares["(other)"] = feature.other / present
    return shares


def categorical_bars(baseline: CategoricalProfile, current: CategoricalProfile) -> str:
    """Baseline vs current share per category (the largest MAX_BARS by either share)."""
    base, cur = _shares(baseline), _shares(current)
    ranked = sorted(base, key=lambda c: -max(base[c], cur.get(c, 0.0)))[:MAX_BARS]
    row = 24
    height = PAD + row * len(ranked) + 10
    top = max([base[c] for c in ranked] + [cur.get(c, 0.0) for c in ranked] + [1e-9])
    span = WIDTH - 150 - 110  # room for the "a% → b%" label after the longest bar
    body = [_legend(8)]
    for i, category in enumerate(ranked):
        y = PAD + i * row
        wb, wc = span * base[category] / top, span * cur.get(category, 0.0) / top
        body.append(
            f'<text x="140" y="{y + 14}" font-size="11" text-anchor="end">{escape(category[:22])}</text>'
            f'<rect x="146" y="{y + 2}" width="{wb:.1f}" height="9" fill="{BASE_COLOUR}"/>'
            f'<rect x="146" y="{y + 11}" width="{wc:.1f}" height="9" fill="{CURRENT_COLOUR}"/>'
            f'<text x="{150 + max(wb, wc):.1f}" y="{y + 14}" font-size="10">'
            f"{base[category]:.1%} → {cur.get(category, 0.0):.1%}</text>"
        )
    return _svg("".join(body), f"{baseline.name}: baseline vs current category shares", height)


def score_line(name: str, points: Sequence[tuple[str, float]], limit: float | None) -> str:
    """Drift score over time (oldest first) with the threshold as a dashed line."""
    height = 140
    values = [v for _, v in points if math.isfinite(v)]
    if len(values) < 2:
        return ""
    top = max([*values, limit or 0.0]) * 1.1 or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    coords = [(PAD + i * step, height - PAD - v / top * (height - 2 * PAD)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    body = [f'<polyline points="{line}" fill="none" stroke="{CURRENT_COLOUR}" stroke-width="2"/>']
    body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{CURRENT_COLOUR}"/>' for x, y in coords]
    if limit is not None:
        y = height - PAD - limit / top * (height - 2 * PAD)
        body.append(
            f'<line x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" stroke="{LIMIT_COLOUR}" '
            f'stroke-dasharray="5,4"/><text x="{WIDTH - PAD}" y="{y - 4:.1f}" font-size="10" '
            f'text-anchor="end">threshold {_fmt(limit)}</text>'
        )
    body.append(f'<text x="{PAD}" y="{height - 10}" font-size="10">{escape(points[0][0])}</text>')
    body.append(
        f'<text x="{WIDTH - PAD}" y="{height - 10}" font-size="10" text-anchor="end">'
        f"{escape(points[-1][0])}</text>"
    )
    return _svg("".join(body), f"{name}: drift score (PSI) over time", height)
