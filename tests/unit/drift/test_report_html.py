"""The HTML drift report: self-contained, a plot per drifting feature, user strings escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np

from mlops_drift import Status, batch_from_arrays, compare, profile
from mlops_drift.report_html import ReportContext, render_html

EVIL = "<script>alert(1)</script>"


class _Collector(HTMLParser):
    """Collects tags, their attributes and the data-feature sections."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _report(shift: float, n: int = 4000, names: tuple[str, str, str] = ("age", "income", "plan")):
    num_a, num_b, cat = names

    def batch(delta: float, seed: int):
        r = np.random.default_rng(seed)
        plans = r.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1] if delta == 0 else [0.2, 0.3, 0.5])
        return batch_from_arrays(
            {num_a: r.normal(40 + 8 * delta, 8, n), num_b: r.gamma(2, 10, n)}, {cat: list(plans)}
        )

    base = profile(batch(0.0, 1))
    cur = profile(batch(shift, 2), base.spec)
    return base, cur, compare(base, cur)


def _html(shift: float, names=("age", "income", "plan"), history=()) -> tuple[str, object]:
    base, cur, report = _report(shift, names=names)
    context = ReportContext(title=f"Drift report: {names[0]}", details={"model": EVIL}, history=history)
    return render_html(base, cur, report, context), report


def test_report_fetches_nothing_from_the_network() -> None:
    html, _ = _html(1.0)
    parser = _Collector()
    parser.feed(html)
    for tag, attrs in parser.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
        assert tag not in ("script", "link", "iframe", "img", "object", "embed")
    assert "http://" not in html and "https://" not in html and "@import" not in html and "url(" not in html


def test_every_drifting_feature_has_a_plot_and_others_do_not() -> None:
    html, report = _html(1.0)
    drifting = set(report.drifted_features)  # type: ignore[attr-defined]
    assert drifting == {"age", "plan"}
    assert set(re.findall(r'data-feature="([^"]+)"', html)) == drifting
    for name in drifting:
        section = html.split(f'data-feature="{name}"', 1)[1].split('class="feature"', 1)[0]
        assert section.count("<svg") >= 1, name
    assert "<path" in html.split('data-feature="age"', 1)[1]  # numeric density overlay
    assert "→" in html.split('data-feature="plan"', 1)[1]  # category share bars


def test_feature_names_and_details_are_escaped() -> None:
    html, _ = _html(1.0, names=(EVIL, "income", "plan\"'&"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "plan&quot;&#x27;&amp;" in html


def test_score_history_is_drawn_for_drifting_features() -> None:
    history = [("2026-01-01", {"age": 0.01}), ("2026-01-02", {"age": 0.05}), ("2026-01-03", {"other": 1.0})]
    html, _ = _html(1.0, history=history)
    age = html.split('data-feature="age"', 1)[1].split('class="feature"', 1)[0]
    assert "drift score (PSI) over time" in age and age.count("<circle") == 3
    assert "threshold 0.2" in age


def test_no_drift_report_says_so() -> None:
    html, report = _html(0.0)
    assert report.status is Status.OK  # type: ignore[attr-defined]
    assert "Drifting features</h2><p>None.</p>" in html and "<svg" not in html
