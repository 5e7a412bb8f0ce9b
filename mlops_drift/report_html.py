"""Self-contained HTML drift report: summary table, inline SVG plots, no external resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from mlops_drift.compare import DriftReport, FeatureDrift, Status
from mlops_drift.plots import categorical_bars, numeric_overlay, score_line
from mlops_drift.profile import CategoricalProfile, DatasetProfile, NumericProfile

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1180px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:28px} .meta{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin-top:8px} th,td{border:1px solid #ddd;padding:4px 8px}
th{background:#f3f3f3;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600}
.drift{background:#fde2e1;color:#a4161a} .ok{background:#e3f4e1;color:#2b6a2f}
.insufficient_data{background:#eee;color:#555} .feature{display:inline-block;vertical-align:top;
margin:0 18px 18px 0;padding:10px;border:1px solid #e4e4e4;border-radius:6px}
.feature h3{font-size:14px;margin:0 0 6px}
"""
SUMMARY_METRICS = ("psi", "ks", "js", "p_value", "missing_rate_change", "new_category_rate")


@dataclass(frozen=True)
class ReportContext:
    """What the report is about; every string is user-provided and escaped on output."""

    title: str
    details: Mapping[str, str] = field(default_factory=dict)
    # Previous runs, oldest first: (label, {feature: PSI}).
    history: Sequence[tuple[str, Mapping[str, float]]] = ()
    malformed_lines: int = 0
    lines_read: int = 0


def _badge(status: Status | str) -> str:
    """A coloured status label."""
    value = escape(str(status))
    return f'<span class="badge {value}">{value.replace("_", " ")}</span>'


def _cell(value: float | None) -> str:
    """A metric table cell."""
    return '<td class="n">-</td>' if value is None else f'<td class="n">{value:.4g}</td>'


def _summary_table(report: DriftReport) -> str:
    """One row per feature: status, breaches and the headline metrics."""
    head = "".join(f"<th>{name}</th>" for name in SUMMARY_METRICS)
    rows = [
        f"<tr><td>{escape(f.name)}</td><td>{escape(f.kind)}</td><td>{_badge(f.status)}</td>"
        f"<td>{escape(', '.join(f.breaches)) or '-'}</td>"
        + "".join(_cell(f.metrics.get(name)) for name in SUMMARY_METRICS)
        + "</tr>"
        for f in report.features
    ]
    return (
        f"<table><thead><tr><th>feature</th><th>kind</th><th>status</th><th>breaches</th>{head}</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _distribution(baseline: DatasetProfile, current: DatasetProfile, name: str) -> str:
    """The distribution plot for one feature."""
    base, cur = baseline.feature(name), current.feature(name)
    if isinstance(base, NumericProfile) and isinstance(cur, NumericProfile):
        return numeric_overlay(base, cur)
    if isinstance(base, CategoricalProfile) and isinstance(cur, CategoricalProfile):
        return categorical_bars(base, cur)
    return "<p>no profile to plot</p>"


def _history_points(context: ReportContext, drift: FeatureDrift) -> list[tuple[str, float]]:
    """Previous PSI values of a feature followed by this run's."""
    points = [(label, scores[drift.name]) for label, scores in context.history if drift.name in scores]
    current = drift.metrics.get("psi")
    return points + ([("now", current)] if current is not None else [])


def _feature_section(
    baseline: DatasetProfile, current: DatasetProfile, drift: FeatureDrift, context: ReportContext
) -> str:
    """Plots and breach details of one drifting feature."""
    trend = score_line(drift.name, _history_points(context, drift), drift.thresholds.psi)
    return (
        f'<div class="feature" data-feature="{escape(drift.name)}"><h3>{escape(drift.name)} '
        f'{_badge(drift.status)}</h3><div class="meta">breaches: {escape(", ".join(drift.breaches))}</div>'
        f"{_distribution(baseline, current, drift.name)}{trend}</div>"
    )


def _header(report: DriftReport, context: ReportContext) -> str:
    """Title, verdict and run details."""
    details = "".join(
        f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>" for key, value in context.details.items()
    )
    counts = (
        f"<tr><th>records (baseline / current)</th><td>{report.baseline_records:,} / "
        f"{report.current_records:,}</td></tr><tr><th>capture lines read / malformed</th>"
        f"<td>{context.lines_read:,} / {context.malformed_lines:,}</td></tr>"
    )
    drifted = ", ".join(report.drifted_features) or "none"
    return (
        f"<h1>{escape(context.title)} {_badge(report.status)}</h1>"
        f'<p class="meta">Drifted features: {escape(drifted)}</p><table>{details}{counts}</table>'
    )


def render_html(
    baseline: DatasetProfile, current: DatasetProfile, report: DriftReport, context: ReportContext
) -> str:
    """The whole report as one HTML document (inline CSS and SVG; nothing is fetched)."""
    drifting = [f for f in report.features if f.status is Status.DRIFT]
    sections = "".join(_feature_section(baseline, current, f, context) for f in drifting)
    if report.status is Status.INSUFFICIENT_DATA:
        sections = "<p>Too few records to judge drift; no alarm is raised.</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(context.title)}</title><style>{STYLE}</style></head><body>"
        f"{_header(report, context)}<h2>Drifting features</h2>{sections or '<p>None.</p>'}"
        f"<h2>All features</h2>{_summary_table(report)}</body></html>"
    )
