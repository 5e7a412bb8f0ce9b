"""Benchmark: our drift engine vs Evidently 0.7 DataDriftPreset on the same 1M x 20 data, same run.

Evidently lives in its own venv (it needs pandas < 3):
    python3 -m venv .venv-evidently && .venv-evidently/bin/pip install -r bench/requirements-evidently.txt
Run from the repository root:
    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m bench.evidently_bench

The data (bench.drift_bench.make_batch) is generated once and saved; each engine runs in its own
subprocess, which loads it, builds its input (FeatureBatch / pandas DataFrames), then is timed. Peak
memory is the subprocess's ru_maxrss; "run peak" is that minus the RSS just before the timed run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.drift_bench import make_batch, run_engine
from mlops_drift import FeatureBatch, batch_from_arrays

ROOT = Path(__file__).resolve().parent.parent
EVIDENTLY_PYTHON = ROOT / ".venv-evidently" / "bin" / "python"


def _rss_mb() -> float:
    """Current resident set size in MiB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Reset the kernel's peak-RSS mark (VmHWM) so the run's own peak can be read afterwards."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")


def _run_peak_mb() -> float:
    """Peak RSS since the last reset, in MiB (VmHWM from /proc/self/status)."""
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def save(path: Path, baseline: FeatureBatch, current: FeatureBatch) -> None:
    """Both datasets in one .npz (categories as fixed-width unicode, no pickling)."""
    arrays: dict[str, Any] = {}
    for tag, batch in (("ref", baseline), ("cur", current)):
        arrays |= {f"{tag}|n|{k}": v for k, v in batch.numeric.items()}
        arrays |= {f"{tag}|c|{k}": np.asarray(v, dtype=str) for k, v in batch.categorical.items()}
    np.savez(path, **arrays)


def load(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """{"ref"|"cur": {"n"|"c": {name: array}}}."""
    out: dict[str, dict[str, dict[str, Any]]] = {t: {"n": {}, "c": {}} for t in ("ref", "cur")}
    with np.load(path) as data:
        for key in data.files:
            tag, kind, name = key.split("|")
            out[tag][kind][name] = data[key] if kind == "n" else data[key].astype(object)
    return out


def worker_engine(path: Path) -> dict[str, Any]:
    """Our engine: profile baseline (deriving bins), profile current on its spec, compare."""
    data = load(path)
    ref = batch_from_arrays(data["ref"]["n"], data["ref"]["c"])
    cur = batch_from_arrays(data["cur"]["n"], data["cur"]["c"])
    del data
    before = _rss_mb()
    _reset_peak()
    start = time.perf_counter()
    _, _, report = run_engine(ref, cur)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": _peak_mb(),
        "run_peak_mb": _run_peak_mb(),
        "drifted": len(report.drifted_features),
    }


def worker_evidently(path: Path) -> dict[str, Any]:
    """Evidently DataDriftPreset on pandas DataFrames with the columns' types declared."""
    import pandas as pd
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    data = load(path)
    frames = {t: pd.DataFrame({**data[t]["n"], **data[t]["c"]}) for t in ("ref", "cur")}
    definition = DataDefinition(
        numerical_columns=list(data["ref"]["n"]), categorical_columns=list(data["ref"]["c"])
    )
    del data
    before = _rss_mb()
    _reset_peak()
    start = time.perf_counter()
    result = Report([DataDriftPreset()]).run(
        current_data=Dataset.from_pandas(frames["cur"], data_definition=definition),
        reference_data=Dataset.from_pandas(frames["ref"], data_definition=definition),
    )
    seconds = time.perf_counter() - start
    drifted = next(
        m["value"]["count"] for m in result.dict()["metrics"] if "DriftedColumnsCount" in m["metric_name"]
    )
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": _peak_mb(),
        "run_peak_mb": _run_peak_mb(),
        "drifted": int(drifted),
    }


def run_worker(python: Path | str, name: str, path: Path) -> dict[str, Any]:
    """Run one worker in a fresh process and parse its JSON line."""
    env = os.environ | {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    cmd = [str(python), "-m", "bench.evidently_bench", "--worker", name, "--data", str(path)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def evidently_comparator(baseline: FeatureBatch, current: FeatureBatch) -> tuple[str, float]:
    """COMPARATORS hook for bench.drift_bench: Evidently's wall time on the same batches."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.npz"
        save(path, baseline, current)
        return "evidently", float(run_worker(EVIDENTLY_PYTHON, "evidently", path)["seconds"])


def _print(rows: int, results: dict[str, dict[str, Any]]) -> None:
    """The comparison table and ratios."""
    print(f"data: 2 x {rows:,} rows x 20 features (15 numeric, 5 categorical); load {os.getloadavg()[0]:.2f}")
    for name, r in results.items():
        print(
            f"{name:>10}: {r['seconds']:8.2f} s  peak RSS {r['peak_mb']:7.0f} MiB  "
            f"(run {r['run_peak_mb']:6.0f} MiB, {r['run_peak_mb'] - r['rss_before_mb']:+5.0f} over input)  "
            f"drifted columns {r['drifted']}"
        )
    ours, theirs = results["engine"], results["evidently"]
    print(f"     speed: ours is {theirs['seconds'] / ours['seconds']:.1f}x faster")
    ours_run, theirs_run = (r["run_peak_mb"] - r["rss_before_mb"] for r in (ours, theirs))
    print(
        f"    memory: peak RSS {ours['peak_mb']:.0f} vs {theirs['peak_mb']:.0f} MiB; "
        f"growth during the run {ours_run:.0f} vs {theirs_run:.0f} MiB"
    )


def main() -> None:
    """Generate the data once, run both engines on it in separate processes, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--worker", choices=("engine", "evidently"))
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.worker:
        work = worker_engine if args.worker == "engine" else worker_evidently
        print(json.dumps(work(args.data)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.npz"
        save(path, make_batch(args.rows, 1, False), make_batch(args.rows, 2, True))
        results = {
            "engine": run_worker(sys.executable, "engine", path),
            "evidently": run_worker(EVIDENTLY_PYTHON, "evidently", path),
        }
    _print(args.rows, results)


if __name__ == "__main__":
    main()
