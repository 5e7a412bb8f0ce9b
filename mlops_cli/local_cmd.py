"""`mlops local`: the orchestrator on this machine, with no AWS account (moto and an endpoint emulator)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import click

from mlops_cli.errors import CliError

DEFAULT_WORK_DIR = Path(".build/local")


@click.group("local")
def local() -> None:
    """Run the orchestrator locally: embedded AWS (moto on 127.0.0.1), real handlers, emulated endpoints."""


def _work_dir(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The --work-dir option of the local commands."""
    return click.option(
        "--work-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_WORK_DIR,
        show_default=True,
        help=help_text,
    )


_interactive = click.option(
    "--interactive", is_flag=True, help="Ask before each approval action instead of approving automatically."
)


def _approver(interactive: bool) -> Callable[[str], bool]:
    """Approval answers: a prompt in interactive mode, else always yes."""
    return (lambda question: click.confirm(question, default=True)) if interactive else (lambda _q: True)


@local.command("demo")
@_work_dir("Where the synthesized app is cached and the model and drift report are written.")
@_interactive
@click.option(
    "--retrain",
    is_flag=True,
    help="The closed loop: train the model with its training pipeline, then let drift retrain it and take "
    "the new version through evaluation, registration, staging, approval and production.",
)
@click.option(
    "--accounts",
    type=click.Choice(["1", "3"]),
    default="1",
    show_default=True,
    help="3: tooling, pre-production and production in accounts of their own, as config/multi-account.toml "
    "places them (config/local-multi-account.toml; synthesized and cached apart, see docs/multi-account.md).",
)
def demo(work_dir: Path, interactive: bool, retrain: bool, accounts: str) -> None:
    """Push a real model through registration, staging, approval and production, then watch it.

    Starts a moto server and the endpoint emulator on 127.0.0.1, creates the tooling stack's
    resources from the synthesized template, and runs the real handlers and the synthesized
    pipeline; then normal traffic, its labels and the model-quality check, and shifted traffic that the
    drift check catches. Needs no AWS credentials and no network; everything stops when the demo ends.
    With --retrain the synthesized training pipeline trains the model, and the drift check's finding starts
    a retraining run (config/local-training.toml; the app is synthesized and cached apart, about a minute
    the first time).
    """
    started = time.monotonic()  # the figure printed includes loading local mode (moto, scikit-learn)
    from mlops_local.demo import run_demo  # deferred: moto and the model libraries load in seconds

    try:
        report = run_demo(
            work_dir, click.echo, _approver(interactive), retrain=retrain, accounts=int(accounts)
        )
    except Exception as error:
        raise CliError(f"the local demo failed: {type(error).__name__}: {error}") from error
    click.echo(f"demo finished in {time.monotonic() - started:.1f} s; open {report} to see the drift report")
    # The process ends now: spare it the collector's final sweep over everything moto and scikit-learn
    # built (about 3 s here). Frozen objects are still released with the process.
    gc.freeze()


@local.command("serve")
@_work_dir("Where the synthesized app is cached.")
@click.option(
    "--assembly",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Serve this synthesized cloud assembly (e.g. cdk.out) instead of synthesizing into --work-dir.",
)
@click.option(
    "--drift-every",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Seconds between drift (and model-quality) checks of every deployed endpoint.",
)
@_interactive
@click.option(
    "--api-approvals",
    is_flag=True,
    help="Leave production approvals waiting for `mlops approve` (through the API) instead of approving.",
)
def serve(
    work_dir: Path, assembly: Path | None, drift_every: float, interactive: bool, api_approvals: bool
) -> None:
    """Keep local AWS, the real handlers and the endpoint emulator running until Ctrl-C.

    Prints the local endpoint URLs (the provisioning API's too) and bucket names; push models to it with
    `mlops push --endpoint-url ...` or `mlops --api URL push ...` (or any AWS SDK pointed at the URL) and
    watch registration, the pipeline, notifications and periodic drift checks happen as they would on AWS.
    """
    import signal
    import threading

    from mlops_local.assembly import TOOLING_TEMPLATE, Assembly
    from mlops_local.pipeline_runner import await_decision
    from mlops_local.serve import ServeOptions, run_serve

    if assembly is not None and not (assembly / TOOLING_TEMPLATE).is_file():
        raise CliError(f"{assembly} holds no {TOOLING_TEMPLATE}: not a synthesized MLOps Orchestrator app")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    approve = await_decision if api_approvals else _approver(interactive)
    try:
        source = Assembly(assembly) if assembly is not None else work_dir
        run_serve(source, click.echo, approve, stop, ServeOptions(drift_every_seconds=drift_every))
    except KeyboardInterrupt:
        click.echo("stopped")
    except Exception as error:
        raise CliError(f"local mode failed: {type(error).__name__}: {error}") from error
