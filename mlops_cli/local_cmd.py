"""`mlops local`: the orchestrator on this machine, with no AWS account (moto and an endpoint emulator)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from mlops_cli.errors import CliError

DEFAULT_WORK_DIR = Path(".build/local")


@click.group("local")
def local() -> None:
    """Run the orchestrator locally: embedded AWS (moto on 127.0.0.1), real handlers, emulated endpoints."""


@local.command("demo")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_WORK_DIR,
    show_default=True,
    help="Where the synthesized app is cached and the model and drift report are written.",
)
@click.option(
    "--interactive", is_flag=True, help="Ask before each approval action instead of approving automatically."
)
def demo(work_dir: Path, interactive: bool) -> None:
    """Push a real model through registration, staging, approval and production, then detect drift.

    Starts a moto server and the endpoint emulator on 127.0.0.1, creates the tooling stack's
    resources from the synthesized template, and runs the real handlers and the synthesized
    pipeline. Needs no AWS credentials and no network; everything stops when the demo ends.
    """
    from mlops_local.demo import run_demo  # deferred: moto and the model libraries load in seconds

    started = time.monotonic()
    try:
        approve = (lambda question: click.confirm(question, default=True)) if interactive else None
        report = run_demo(work_dir, click.echo, approve)
    except Exception as error:
        raise CliError(f"the local demo failed: {type(error).__name__}: {error}") from error
    click.echo(f"demo finished in {time.monotonic() - started:.1f} s; open {report} to see the drift report")
