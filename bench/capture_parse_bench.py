"""Benchmark: parse generated SageMaker data-capture JSON Lines and print records/s.

Run:  OPENBLAS_NUM_THREADS=1 python -m bench.capture_parse_bench [--json-module]
"""

from __future__ import annotations

import argparse
import base64
import json
import time

import numpy as np

from mlops_drift import capture, parse_capture

FEATURES = 20


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


def _best_seconds(lines: list[str], repeats: int) -> tuple[float, int, int]:
    """Fastest of `repeats` parses (the least disturbed by other work), with records and malformed lines."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        batch = parse_capture(lines)
        best = min(best, time.perf_counter() - start)
    return best, batch.features.n_rows, batch.malformed_lines


def main() -> None:
    """Generate lines, parse them and print throughput for each shape."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json-module", action="store_true", help="decode with json, not orjson")
    args = parser.parse_args()
    if args.json_module:
        capture._fast_loads = json.loads
    print(f"decoder: {capture._fast_loads.__module__}")
    for per_event, encoding in ((1, "CSV"), (1, "BASE64"), (10, "CSV")):
        lines = make_lines(args.records, per_event, encoding)
        seconds, records, malformed = _best_seconds(lines, args.repeats)
        print(
            f"{encoding:>6}, {per_event:>2} record(s)/line: {records:,} records "
            f"in {seconds:.3f}s = {records / seconds:,.0f} records/s "
            f"({len(lines) / seconds:,.0f} lines/s, malformed {malformed}, best of {args.repeats})"
        )


if __name__ == "__main__":
    main()
