"""Peak memory of reading one capture file whole and in pieces (mlops_drift.file_read), in child processes.

The file is the costly shape for memory: lines of many one-byte-wide records whose outputs do not match,
which take the per-record path. Usage:
    .venv/bin/python -m bench.capture_memory_bench [--lines 4] [--records-per-line 1500000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time

from mlops_drift import Kind, ProfileSpec
from mlops_drift.file_read import PIECE_BYTES, read_file
from mlops_drift.spec import FeatureSpec

SPEC = ProfileSpec(
    (FeatureSpec("a", Kind.NUMERIC, edges=(0.0, 1.0, 2.0)), FeatureSpec("b", Kind.CATEGORICAL))
)


def capture_file(lines: int, records: int) -> bytes:
    """`lines` capture lines of `records` CSV records each, with one output that matches none of them."""
    capture = {
        "endpointInput": {
            "observedContentType": "text/csv",
            "mode": "INPUT",
            "data": "1,x\n" * records,
            "encoding": "CSV",
        },
        "endpointOutput": {
            "observedContentType": "text/csv",
            "mode": "OUTPUT",
            "data": "error",
            "encoding": "CSV",
        },
    }
    line = json.dumps(
        {"captureData": capture, "eventMetadata": {"eventId": "e"}, "eventVersion": "0"}
    ).encode()
    return (line + b"\n") * lines


def _measure(data: bytes, piece_bytes: int, answer: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    read = read_file("f", data, SPEC, piece_bytes=piece_bytes)
    seconds = time.perf_counter() - start
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    answer.put((growth, seconds, read.partial.profile.record_count))


def main() -> None:
    """Print the peak memory growth and time of both ways of reading the same file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=4)
    parser.add_argument("--records-per-line", type=int, default=1_500_000)
    args = parser.parse_args()
    data = capture_file(args.lines, args.records_per_line)
    print(f"file: {len(data) / 2**20:.1f} MiB, {args.lines} lines of {args.records_per_line:,} records")
    for label, piece in (("whole file", len(data)), (f"pieces of {PIECE_BYTES // 2**20} MiB", PIECE_BYTES)):
        answer: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        worker = multiprocessing.get_context("fork").Process(target=_measure, args=(data, piece, answer))
        worker.start()
        growth, seconds, records = answer.get()
        worker.join()
        print(f"{label:>20}: peak memory growth {growth:,.0f} MiB, {seconds:.1f} s, {records:,} records")


if __name__ == "__main__":
    main()
