"""Render a real drifted HTML report from synthetic data and screenshot it with headless Chromium.

Needs Debian's chromium (apt-get install -y chromium). Run from the repository root:
    .venv/bin/python -m scripts.screenshot_drift_report [--out docs/drift-report.png] [--html report.html]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from mlops_drift import DatasetProfile, DriftReport, batch_from_arrays, compare, profile
from mlops_drift.report_html import ReportContext, render_html

ROWS = 20_000
PLANS = ["basic", "plus", "pro", "enterprise", "trial"]


def _batch(seed: int, shift: float) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """Customer-like features; as shift goes 0 -> 1, tenure moves, spend widens and the plan mix changes."""
    rng = np.random.default_rng(seed)
    tenure = rng.normal(24 + 6 * shift, 6, ROWS)
    spend = rng.gamma(2.0, 30.0 + 15.0 * shift, ROWS)
    sessions = rng.poisson(12, ROWS).astype(float)
    before, after = np.array([0.45, 0.25, 0.15, 0.1, 0.05]), np.array([0.2, 0.2, 0.3, 0.1, 0.2])
    plan = rng.choice(PLANS, ROWS, p=before + shift * (after - before)).tolist()
    region = rng.choice(["eu", "us", "apac"], ROWS, p=[0.4, 0.4, 0.2]).tolist()
    numeric = {"tenure_months": tenure, "monthly_spend": spend, "sessions_per_week": sessions}
    return numeric, {"plan": plan, "region": region}


def build_report(baseline: DatasetProfile, shift: float, seed: int) -> tuple[DatasetProfile, DriftReport]:
    """A current sample with the given shift, profiled on the baseline's spec and compared."""
    current = profile(batch_from_arrays(*_batch(seed, shift)), baseline.spec)
    return current, compare(baseline, current)


def render(path: Path) -> None:
    """Write the HTML report of today's sample, with the real scores of a week of growing drift before it."""
    baseline = profile(batch_from_arrays(*_batch(1, 0.0)))
    history = []
    for day in range(1, 8):
        _, earlier = build_report(baseline, shift=day / 10, seed=100 + day)
        scores = {f.name: v for f in earlier.features if (v := f.metrics.get("psi")) is not None}
        history.append((f"2026-01-{day:02d}", scores))
    current, report = build_report(baseline, shift=1.0, seed=2)
    context = ReportContext(
        title="Drift report: churn-prod",
        details={"endpoint / variant": "churn-prod / AllTraffic", "model": "churn-model v3"},
        history=history,
        lines_read=ROWS + 3,
        malformed_lines=3,
    )
    path.write_text(render_html(baseline, current, report, context), encoding="utf-8")


def screenshot(html: Path, png: Path, size: str = "1280,2000") -> None:
    """Headless Chromium screenshot of a local file, with every network feature switched off."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile_dir:
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile_dir}",
            f"--screenshot={png.resolve()}",
            f"--window-size={size}",
        ]
        subprocess.run(  # noqa: S603 - a fixed local browser binary and our own temp file
            [browser, *flags, html.resolve().as_uri()], check=True, capture_output=True, timeout=120
        )


def main() -> None:
    """Render the report and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/drift-report.png"))
    parser.add_argument("--html", type=Path, default=None, help="keep the HTML report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        html = args.html or Path(tmp) / "drift-report.html"
        render(html)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(html, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
