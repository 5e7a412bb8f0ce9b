"""Register function cold path vs `import boto3` plus one client, timed side by side in fresh processes.

The cold path is what an execution environment pays before its first upload is processed: importing the
handler module, building its runtime (`runtime.get()`: settings, the idempotency layer, the domain modules),
parsing the first event and making the two clients every upload uses (S3 and DynamoDB; the other three are
made when an event first needs them). Settings are fake and no AWS call is made.
Usage: .venv/bin/python -m bench.cold_path_bench [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.3
EVENT = ROOT / "tests" / "events" / "register_object_created.json"
REFERENCE = "import boto3\nboto3.client('s3')"
REGISTER = f"""
import json
import lambdas.register.handler as handler
_, processor = handler.runtime.get()
# Every upload reads its manifest from S3 and records itself in DynamoDB: those two clients are always made.
processor.clients.s3.meta, processor.clients.dynamodb.meta
from lambdas.register.upload import parse_event
parse_event(json.loads({EVENT.read_text()!r}))
"""
# Modules worth knowing about when they show up on the cold path.
WATCHED = ("aws_xray_sdk", "numpy", "pyarrow", "pydantic", "jmespath", "mlops_drift", "mlops_manifest")
HARNESS = """
import json, sys, time
started = time.perf_counter()
exec(sys.argv[1])
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}))
"""
FAKE_ENVIRONMENT = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "cold-path-bench",
    "AWS_SECRET_ACCESS_KEY": "cold-path-bench",
    "REGISTRY_BUCKET_NAME": "registry-bucket",
    "NOTIFICATION_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:notifications",
    "EVENT_BUS_NAME": "orchestrator",
    "IDEMPOTENCY_TABLE_NAME": "idempotency",
}


def run_once(code: str) -> dict[str, object]:
    """Time `code` in a fresh interpreter (start-up excluded); return seconds and watched modules loaded."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **FAKE_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", HARNESS, code, *WATCHED],
        cwd=ROOT,
        env=env,  # no PYTHONDONTWRITEBYTECODE: both sides run from cached bytecode
        capture_output=True,
        text=True,
        check=True,
    )
    measured: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return measured


def medians(runs: int) -> tuple[float, float, list[str]]:
    """Median seconds of both sides over `runs` interleaved runs, after one untimed run each (bytecode)."""
    run_once(REFERENCE), run_once(REGISTER)
    reference, register, loaded = [], [], []
    for _ in range(runs):  # interleaved, so a change of machine load hits both sides alike
        reference.append(float(str(run_once(REFERENCE)["seconds"])))
        sample = run_once(REGISTER)
        register.append(float(str(sample["seconds"])))
        loaded = sample["loaded"] if isinstance(sample["loaded"], list) else []
    return statistics.median(reference), statistics.median(register), [str(name) for name in loaded]


def main() -> None:
    """Print both medians and their ratio; exit non-zero when the ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    reference, register, loaded = medians(runs)
    ratio = register / reference
    print(f"import boto3 + one client:      median {reference * 1000:7.1f} ms ({runs} runs)")
    print(f"register function cold path:    median {register * 1000:7.1f} ms ({runs} runs)")
    print(f"ratio {ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"watched modules on the register path: {', '.join(loaded) or 'none'}")
    sys.exit(0 if ratio <= TARGET_RATIO else 1)


if __name__ == "__main__":
    main()
