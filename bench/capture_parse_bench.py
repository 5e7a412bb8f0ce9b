"""Benchmark: parse generated SageMaker data-capture JSON Lines and print records/s, side by side with a
general-purpose pipeline (orjson per line, then pyarrow's CSV reader over the joined payloads) on the
same capture file in the same run, both pinned to one core, timed by CPU time and interleaved per repeat
(the median of the per-repeat time ratios is the comparison); --scaling also times
the Processing path over 1, 2 and all cores.

Run:  OPENBLAS_NUM_THREADS=1 python -m bench.capture_parse_bench [--generic] [--scaling]

--generic times the parser as it runs where msgspec, pyarrow and orjson are missing (json and numpy only).
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from statistics import median

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.csv as pacsv

from mlops_drift import Kind, ProfileSpec, capture_columns, capture_decode, parse_capture, profile
from mlops_drift.capture_decode import capture_lines
from mlops_drift.processing_job import profile_directory
from mlops_drift.spec import FeatureSpec

FEATURES = 20
# (records per line, input encoding) of each timed capture file.
SHAPES = ((1, "CSV"), (1, "BASE64"), (10, "CSV"))


def _event(i: int, rows: list[str], encoding: str) -> str:
    """One capture line holding the given CSV rows (CSV or BASE64 encoded)."""
    text = "\n".join(rows)
    data = base64.b64encode(text.encode()).decode() if encoding == "BASE64" else text
    scores = "\n".join(f"{0.1 + (i % 9) / 10:.3f}" for _ in rows)
    return json.dumps(
        {
            "captureData": {
                "endpointInput": {
                    "observedContentType": "text/csv",
                    "mode": "INPUT",
                    "data": data,
                    "encoding": encoding,
                },
                "endpointOutput": {
                    "observedContentType": "text/csv",
                    "mode": "OUTPUT",
                    "data": scores,
                    "encoding": "CSV",
                },
            },
            "eventMetadata": {
                "eventId": f"evt-{i:08d}",
                "inferenceId": f"inf-{i:08d}",
                "inferenceTime": "2025-01-01T00:00:00Z",
            },
            "eventVersion": "0",
        }
    )


def make_lines(records: int, per_event: int, encoding: str, seed: int = 0) -> list[str]:
    """Capture lines with `per_event` CSV records each: 15 numeric and 5 categorical columns."""
    rng = np.random.default_rng(seed)
    numbers = rng.normal(size=(records, FEATURES - 5)).round(4).astype(str)
    cats = rng.choice(["red", "green", "blue", "amber"], size=(records, 5))
    rows = [",".join([*n, *c]) for n, c in zip(numbers.tolist(), cats.tolist(), strict=True)]
    return [
        _event(i, rows[i * per_event : (i + 1) * per_event], encoding) for i in range(records // per_event)
    ]


def _reference_records(data: bytes) -> int:
    """The general-purpose pipeline: orjson per line, then pyarrow's CSV reader over the joined payloads."""
    texts = []
    for line in capture_lines(data):
        block = orjson.loads(line)["captureData"]["endpointInput"]
        data = block["data"]
        texts.append(base64.b64decode(data).decode() if block["encoding"] == "BASE64" else data)
    names = [f"c{i}" for i in range(FEATURES)]
    table = pacsv.read_csv(io.BytesIO("\n".join(texts).encode()), pacsv.ReadOptions(column_names=names))
    return int(table.num_rows)


def _best(
    function: Callable[[bytes], int], data: bytes, repeats: int, clock: Callable[[], float]
) -> tuple[float, int]:
    """Fastest of `repeats` runs of a parser by `clock`, with the records it produced."""
    best, records = float("inf"), 0
    for _ in range(repeats):
        start = clock()
        records = function(data)
        best = min(best, clock() - start)
    return best, records


@dataclass(frozen=True)
class Timings:
    """CPU seconds of each pipeline per repeat (their runs interleaved), and the records each produced."""

    seconds: dict[str, list[float]]
    records: dict[str, int]

    def ratios(self) -> list[float]:
        """Per repeat: the reference's time over parse_capture's (above 1: parse_capture is faster)."""
        ours, theirs = self.seconds["parse_capture"], self.seconds["orjson+pyarrow"]
        return [reference / own for own, reference in zip(ours, theirs, strict=True)]


def _side_by_side(data: bytes, repeats: int) -> Timings:
    """Each pipeline's CPU time per repeat, interleaved so both see the same machine, after a warm-up run
    of each (first-use imports and allocations); the order alternates so neither always runs second."""
    for function in PIPELINES.values():
        function(data)
    seconds: dict[str, list[float]] = {label: [] for label in PIPELINES}
    records = dict.fromkeys(PIPELINES, 0)
    for repeat in range(repeats):
        order = list(PIPELINES.items())
        for label, function in order if repeat % 2 == 0 else order[::-1]:
            # CPU time of this process, pinned to one core: what one core delivers, even on a busy machine.
            start = time.process_time()
            records[label] = function(data)
            seconds[label].append(time.process_time() - start)
    return Timings(seconds, records)


# The baseline's feature spec, which the drift check always parses capture with.
SPEC = ProfileSpec(
    tuple(
        FeatureSpec(f"c{i}", Kind.NUMERIC if i < FEATURES - 5 else Kind.CATEGORICAL) for i in range(FEATURES)
    )
)


def _ours(data: bytes) -> int:
    """parse_capture's record count, with the baseline's spec as the drift check passes it."""
    return parse_capture(data, SPEC).features.n_rows


PIPELINES: dict[str, Callable[[bytes], int]] = {
    "parse_capture": _ours,
    "orjson+pyarrow": _reference_records,
}


def _scaling(records: int, repeats: int) -> None:
    """The Processing path (profile_directory) over 1, 2 and all cores, on 40 capture files."""
    lines = make_lines(records, 1, "CSV")
    baseline = profile(parse_capture(lines[:20_000]).features)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i in range(40):
            (root / f"{i:02d}.jsonl").write_text("\n".join(lines[i::40]) + "\n")
        for workers in sorted({1, 2, os.cpu_count() or 1}):
            run = partial(profile_directory, root, baseline.spec, workers)
            seconds, _ = _best(
                lambda _data, run=run: run().profile.record_count, b"", repeats, time.perf_counter
            )
            print(f"processing path, {workers} worker(s): {records / seconds:,.0f} records/s")


def _one_core() -> set[int]:
    """Pin this process (and pyarrow's thread pool) to one core, as the issue compares; return all cores."""
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    pa.set_cpu_count(1)
    return cores


def _print_shape(shape: str, timings: Timings) -> None:
    """Each pipeline's median records/s, then the median and range of the per-repeat ratios."""
    for label, seconds in timings.seconds.items():
        records = timings.records[label]
        print(f"{shape}, {label:>14}: {records:,} records, median {records / median(seconds):,.0f} records/s")
    ratios = timings.ratios()
    spread = f"range {min(ratios):.2f}-{max(ratios):.2f}"
    print(f"{shape}, orjson+pyarrow time / parse_capture time: median {median(ratios):.2f} ({spread})")


def main() -> None:
    """Generate lines, parse them with both pipelines on one core and print throughput for each shape."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--generic", action="store_true", help="without msgspec, pyarrow and orjson")
    parser.add_argument("--scaling", action="store_true", help="also time the Processing path per core")
    parser.add_argument("--shape", type=int, choices=range(len(SHAPES)), help="time one shape only (0-2)")
    args = parser.parse_args()
    if args.generic:
        capture_decode._fast_loads, capture_decode.USE_TYPED, capture_columns.USE_ARROW = (
            json.loads,
            False,
            False,
        )
    cores = _one_core()
    print(f"one core of {len(cores)}; load average {os.getloadavg()[0]:.1f}")
    for per_event, encoding in SHAPES if args.shape is None else SHAPES[args.shape : args.shape + 1]:
        # Both pipelines get a capture file's bytes, as the drift check reads it from S3.
        data = "".join(line + "\n" for line in make_lines(args.records, per_event, encoding)).encode()
        _print_shape(f"{encoding:>6}, {per_event:>2} record(s)/line", _side_by_side(data, args.repeats))
    if args.scaling:
        os.sched_setaffinity(0, cores)
        pa.set_cpu_count(len(cores))
        _scaling(args.records, args.repeats)


if __name__ == "__main__":
    main()
