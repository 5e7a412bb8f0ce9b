"""`cdk synth` of the default config: total wall time and where it goes, median of N runs.

Usage: .venv/bin/python -m bench.synth_bench [--runs N] [--cold-layers] [--warm]
- total: `npx cdk synth --quiet` with cdk.out removed first (what a fresh clone sees), CPU time of all its
  processes beside it. --warm keeps cdk.out instead (CDK then skips bundling of existing assets).
- phases: bench/synth_probe.py runs the app in a fresh interpreter, as the CLI does, into a new outdir;
  two more probe runs without the cdk-nag packs and without CDK's CloudFormation rules price those gates.
- CLI: `npx cdk synth --quiet --app <assembly>`: the CLI reading an existing assembly, no app run.
--cold-layers empties the layer cache (.build/layers) before every run: the first synth after a clone.
Wall times depend on load: quote them with the load average printed at the start.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 9.0
LAYER_CACHE = ROOT / ".build" / "layers"
ENV = {**os.environ, "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"}


def timed_run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system of every child process) seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def synth_total(warm: bool, cold_layers: bool) -> tuple[float, float]:
    """One `npx cdk synth --quiet` of the default config in the repository."""
    if not warm:
        shutil.rmtree(ROOT / "cdk.out", ignore_errors=True)
    if cold_layers:
        shutil.rmtree(LAYER_CACHE, ignore_errors=True)
    return timed_run(["npx", "cdk", "synth", "--quiet"])


def probe(*flags: str, cold_layers: bool = False) -> dict[str, float]:
    """Phase times of one in-process synthesis into a fresh temporary outdir."""
    if cold_layers:
        shutil.rmtree(LAYER_CACHE, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as outdir:
        result = subprocess.run(
            [sys.executable, "-m", "bench.synth_probe", outdir, *flags],
            cwd=ROOT,
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
        )
    phases: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return phases


def cli_only() -> float:
    """Wall time of the CLI on an already synthesized assembly (start-up, cdk.json, reading the assembly)."""
    return timed_run(["npx", "cdk", "synth", "--quiet", "--app", "cdk.out"])[0]


def median_phases(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run.get(key, 0.0) for run in runs) for key in runs[0]}


def gate_cost(full: dict[str, float], without: dict[str, float]) -> float:
    """What a gate adds to the two synth phases (its validation runs inside app.synth())."""
    keys = ("blueprint app", "tooling synth")
    return sum(full[k] for k in keys) - sum(without[k] for k in keys)


def report(args: argparse.Namespace) -> float:
    """Run everything, print the table, return the median total wall time."""
    totals = [synth_total(args.warm, args.cold_layers) for _ in range(args.runs)]
    cli = statistics.median(cli_only() for _ in range(args.runs))
    full = median_phases([probe(cold_layers=args.cold_layers) for _ in range(args.runs)])
    no_packs = median_phases([probe("--no-packs") for _ in range(args.runs)])
    no_rules = median_phases([probe("--no-cfn-rules") for _ in range(args.runs)])
    print(f"\nphases (median of {args.runs} in-process runs, wall s; app.py run as the CLI runs it):")
    for key, value in full.items():
        if key != "total":
            print(f"  {key:<26}{value:6.2f}")
    print(f"  {'app total':<26}{full['total']:6.2f}")
    print(f"  {'CLI alone (--app cdk.out)':<26}{cli:6.2f}")
    print("of which inside 'blueprint app' + 'tooling synth' (difference with probe runs without them):")
    print(f"  {'cdk-nag packs':<26}{gate_cost(full, no_packs):6.2f}")
    print(f"  {'CloudFormation rules':<26}{gate_cost(full, no_rules):6.2f}  (engine start-up included)")
    walls, cpus = [wall for wall, _ in totals], [cpu for _, cpu in totals]
    kind = "kept cdk.out" if args.warm else "fresh cdk.out"
    layers = "empty layer cache" if args.cold_layers else "layer cache as found"
    print(f"\nnpx cdk synth --quiet ({kind}, {layers}), {args.runs} runs:")
    print(f"  wall s: {' '.join(f'{w:.2f}' for w in walls)}  median {statistics.median(walls):.2f}")
    print(f"  CPU s:  {' '.join(f'{c:.2f}' for c in cpus)}  median {statistics.median(cpus):.2f}")
    return statistics.median(walls)


def main() -> None:
    """Print the figures; exit 1 when the median total misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warm", action="store_true", help="keep cdk.out between runs")
    parser.add_argument("--cold-layers", action="store_true", help="empty .build/layers before each run")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    total = report(args)
    print(f"target: <= {TARGET_SECONDS:.0f} s median wall: {'met' if total <= TARGET_SECONDS else 'missed'}")
    sys.exit(0 if total <= TARGET_SECONDS else 1)


if __name__ == "__main__":
    main()
