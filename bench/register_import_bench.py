"""Cold import time of the register handler module, measured with `python -X importtime` in fresh processes.

Also measures the imports the handler defers to its first invocation, so the total cold-start cost is visible.
Usage: .venv/bin/python bench/register_import_bench.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
DEFERRED = (
    "import boto3, lambdas.register.service, "
    "aws_lambda_powertools.utilities.idempotency; "
    "from aws_lambda_powertools import Tracer; Tracer(service='register')"
)


def cumulative_ms(statement: str, module: str) -> float:
    """Run `statement` in a fresh interpreter with -X importtime; return `module`'s cumulative import ms."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "POWERTOOLS_TRACE_DISABLED": "1", "AWS_REGION": "us-east-1"},
    )
    for line in result.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) / 1000
    raise RuntimeError(f"{module} not in importtime output")


def total_ms(statement: str) -> float:
    """Sum the top-level (cumulative) import times of everything a statement imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    total = 0
    for line in result.stderr.splitlines()[1:]:
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and not parts[2].startswith("  "):
            total += int(parts[1])
    return total / 1000


def main() -> None:
    """Print median and min over several runs; exit non-zero when the handler import misses its target."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    handler = [
        cumulative_ms("import lambdas.register.handler", "lambdas.register.handler") for _ in range(runs)
    ]
    deferred = [total_ms(f"import lambdas.register.handler; {DEFERRED}") for _ in range(runs)]
    print(
        f"handler module import: median {statistics.median(handler):.1f} ms, min {min(handler):.1f} ms "
        f"(target <= {TARGET_MS:.0f} ms, {runs} runs)"
    )
    print(
        f"handler + deferred first-invocation imports (boto3, domain, idempotency, X-Ray): "
        f"median {statistics.median(deferred):.1f} ms"
    )
    sys.exit(0 if statistics.median(handler) <= TARGET_MS else 1)


if __name__ == "__main__":
    main()
