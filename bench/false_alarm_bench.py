"""Benchmark: false-alarm rate on identically distributed traffic, and the smallest shift detected.

    OPENBLAS_NUM_THREADS=1 python -m bench.false_alarm_bench [--seeds 200]

For each current size n and feature count k, baseline (5,000 records) and current traffic are drawn
from the same distributions (numeric normal, 0/1 and 4-level categorical features); the share of
checks whose dataset status is drift is the false-alarm rate (target <= 1 % at the defaults). Then,
for one normal feature among 10, the smallest mean shift (in standard deviations) detected in at
least 90 % of checks at the default thresholds.
"""

from __future__ import annotations

import argparse

import numpy as np

from mlops_drift import DatasetProfile, FeatureBatch, Status, batch_from_arrays, compare, profile

BASELINE = 5000
LEVELS = np.array(["a", "b", "c", "d"], dtype=object)
SHIFTS = np.round(np.arange(0.05, 1.51, 0.05), 2)


def make_batch(n: int, rng: np.random.Generator, features: int, shift: float = 0.0) -> FeatureBatch:
    """k features: half normal (the first shifted by `shift` sd), a quarter 0/1, the rest categorical."""
    numeric = {f"x{i}": rng.normal(shift if i == 0 else 0.0, 1.0, n) for i in range(max(1, features // 2))}
    binary = {f"b{i}": (rng.random(n) < 0.3).astype(float) for i in range(features // 4)}
    count = features - len(numeric) - len(binary)
    categorical = {f"c{i}": rng.choice(LEVELS, n, p=[0.4, 0.3, 0.2, 0.1]).tolist() for i in range(count)}
    return batch_from_arrays(numeric | binary, categorical)


def alarm_rate(n: int, features: int, seeds: int, shift: float = 0.0, base: int = BASELINE) -> float:
    """Share of checks whose verdict is drift (baseline of `base` records)."""
    alarms = 0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        baseline: DatasetProfile = profile(make_batch(base, rng, features))
        current = profile(make_batch(n, rng, features, shift), baseline.spec)
        alarms += compare(baseline, current).status is Status.DRIFT
    return alarms / seeds


def smallest_shift(n: int, seeds: int) -> float | None:
    """The smallest mean shift (sd) of one of 10 features detected in >= 90 % of checks."""
    for shift in SHIFTS:
        if alarm_rate(n, 10, seeds, float(shift)) >= 0.9:
            return float(shift)
    return None


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=BASELINE, help="baseline records (false alarms)")
    args = parser.parse_args()
    print(f"false alarms, identical distributions, baseline {args.baseline}, {args.seeds} checks each")
    for n in (100, 1000, 10_000):
        rates = {k: alarm_rate(n, k, args.seeds, base=args.baseline) for k in (1, 10, 50)}
        print(f"  n={n:>6}: " + "  ".join(f"{k:>2} features {rate:6.2%}" for k, rate in rates.items()))
    print("smallest mean shift detected in >= 90 % of checks (1 of 10 features, sd units)")
    for n in (100, 1000, 10_000):
        print(f"  n={n:>6}: {smallest_shift(n, max(args.seeds // 4, 20))}")


if __name__ == "__main__":
    main()
