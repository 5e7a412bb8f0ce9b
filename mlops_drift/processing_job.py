"""Partial capture profiles: built per file set (Lambda or a Processing-job shard), merged exactly.

Run inside the SageMaker scikit-learn processing container as the job's entry point:
    python3 -m mlops_drift.processing_job [--capture DIR] [--baseline FILE] [--output DIR] [--name NAME]
        [--workers N] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from mlops_drift.file_read import Deadline, profile_bytes
from mlops_drift.partial import (
    FileIssue,
    PartialProfile,
    empty_partial,
    merge_partials,
    oversized_file,
    profile_file,
)
from mlops_drift.profile import DatasetProfile
from mlops_drift.spec import ProfileSpec

CAPTURE_DIR = "/opt/ml/processing/input/capture"
BASELINE_FILE = "/opt/ml/processing/input/baseline/profile.json"
OUTPUT_DIR = "/opt/ml/processing/output"
RESOURCE_CONFIG = "/opt/ml/config/resourceconfig.json"
__all__ = ["FileIssue", "PartialProfile", "empty_partial", "main", "merge_partials", "profile_file", "run"]


Task = tuple[Path, Path, ProfileSpec, Deadline | None]


def _profile_path(task: Task) -> PartialProfile:
    """Profile one file (a worker's task): its name relative to the shard directory."""
    root, path, spec, deadline = task
    name = str(path.relative_to(root))
    size = path.stat().st_size
    return oversized_file(name, size, spec) or profile_bytes(name, path.read_bytes(), spec, deadline=deadline)


def profile_directory(
    capture_dir: Path, spec: ProfileSpec, workers: int = 1, deadline: Deadline | None = None
) -> PartialProfile:
    """Profile every file under a directory (a Processing-job shard), over `workers` processes.

    Files are profiled independently and merged in path order, so the result does not depend on workers.
    Past the deadline no more lines are read: the job's partial reports them instead of the job being
    stopped with nothing written.
    """
    files = sorted(p for p in capture_dir.rglob("*") if p.is_file())
    tasks = [(capture_dir, path, spec, deadline) for path in files]
    if workers <= 1 or len(tasks) <= 1:
        return merge_partials(spec, [_profile_path(task) for task in tasks])
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        return merge_partials(spec, list(pool.map(_profile_path, tasks)))


def host_name(resource_config: Path = Path(RESOURCE_CONFIG)) -> str:
    """This instance's host name in the job (algo-1, algo-2, ...); unique per shard."""
    try:
        return str(json.loads(resource_config.read_text())["current_host"])
    except (OSError, ValueError, KeyError):
        return socket.gethostname()


def run(
    capture_dir: Path,
    baseline_file: Path,
    output_dir: Path,
    name: str,
    workers: int = 1,
    seconds: float | None = None,
) -> Path:
    """Profile this shard against the baseline's spec within `seconds` (None: no limit) and write
    `partial-<name>.json` to the output directory."""
    deadline = Deadline.after(seconds) if seconds is not None else None
    baseline = DatasetProfile.from_dict(json.loads(baseline_file.read_text()))
    partial = profile_directory(capture_dir, baseline.spec, workers, deadline)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"partial-{name}.json"
    target.write_text(json.dumps(partial.to_dict(), allow_nan=False))  # the profile is finite by construction
    return target


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point (the Processing job's ContainerEntrypoint)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--capture", type=Path, default=Path(CAPTURE_DIR))
    parser.add_argument("--baseline", type=Path, default=Path(BASELINE_FILE))
    parser.add_argument("--output", type=Path, default=Path(OUTPUT_DIR))
    parser.add_argument("--name", default=None, help="partial file name (default: the job host name)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: cores)")
    parser.add_argument("--seconds", type=float, default=None, help="stop reading lines after this long")
    args = parser.parse_args(argv)
    run(args.capture, args.baseline, args.output, args.name or host_name(), args.workers, args.seconds)


if __name__ == "__main__":
    main()
