"""Benchmark: profile a 1M x 20 baseline and current dataset and compare them, single-threaded.

Run with OPENBLAS_NUM_THREADS=1:  OPENBLAS_NUM_THREADS=1 python -m bench.drift_bench
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from mlops_drift import DatasetProfile, DriftReport, FeatureBatch, batch_from_arrays, compare, profile

N_NUMERIC = 15
N_CATEGORICAL = 5
CATEGORIES = np.array([f"cat_{i:02d}" for i in range(30)], dtype=object)


def make_batch(rows: int, seed: int, shifted: bool) -> FeatureBatch:
    """Synthetic data; when shifted, a third of the features drift (mean, variance, categories)."""
    rng = np.random.default_rng(seed)
    numeric = {}
    for i in range(N_NUMERIC):
        values = rng.normal(loc=i, scale=1.0 + i / 10, size=rows)
        if shifted and i % 3 == 0:
            values = values + 0.5 * (1.0 + i / 10) if i % 2 == 0 else values * 1.6
        values[rng.random(rows) < 0.01] = np.nan
        numeric[f"num_{i:02d}"] = values
    weights = np.linspace(1.0, 3.0, CATEGORIES.size)
    categorical = {}
    for j in range(N_CATEGORICAL):
        w = weights[::-1] if shifted and j % 2 == 0 else weights
        categorical[f"cat_{j}"] = rng.choice(CATEGORIES, size=rows, p=w / w.sum())
    return batch_from_arrays(numeric, categorical)


def run_engine(
    baseline: FeatureBatch, current: FeatureBatch
) -> tuple[DatasetProfile, DatasetProfile, DriftReport]:
    """The engine under test: baseline profile (derives edges), current profile on its spec, compare."""
    base_profile = profile(baseline)
    current_profile = profile(current, base_profile.spec)
    return base_profile, current_profile, compare(base_profile, current_profile)


def timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """Result and wall-clock seconds of one call."""
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


# Comparisons with other engines (e.g. Evidently) plug in here: same inputs, return (name, seconds).
COMPARATORS: list[Callable[[FeatureBatch, FeatureBatch], tuple[str, float]]] = []


def main() -> None:
    """Generate data, time each stage and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    (baseline, current), gen_s = timed(
        lambda: (make_batch(args.rows, 1, False), make_batch(args.rows, 2, True))
    )
    print(f"data: 2 x {args.rows:,} rows x {N_NUMERIC + N_CATEGORICAL} features, generated in {gen_s:.2f}s")
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        base_p, s1 = timed(profile, baseline)
        cur_p, s2 = timed(profile, current, base_p.spec)
        report, s3 = timed(compare, base_p, cur_p)
        (_, _, _), total = timed(run_engine, baseline, current)
        for key, value in (
            ("baseline_profile", s1),
            ("current_profile", s2),
            ("compare", s3),
            ("total", total),
        ):
            best[key] = min(best.get(key, float("inf")), value)
    for key, value in best.items():
        print(f"{key:>17}: {value:7.3f} s (best of {args.repeat})")
    print(
        f"       throughput: {2 * args.rows / best['total'] / 1e6:.2f} M rows/s (both datasets, end to end)"
    )
    print(f"          verdict: {report.status.value}; drifted: {', '.join(report.drifted_features)}")
    for comparator in COMPARATORS:
        name, seconds = comparator(baseline, current)
        print(f"{name:>17}: {seconds:7.3f} s")


if __name__ == "__main__":
    main()
