"""`mlops mwo convert`: an MWO `/provisionpipeline` body mapped onto a manifest, offline (dry run)."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from mlops_api.mwo_convert import MwoRefusal, convert
from mlops_api.mwo_draft import Destination
from mlops_api.mwo_result import MwoConversion
from mlops_cli.aws import env_option
from mlops_cli.errors import EXIT_PROBLEMS
from mlops_cli.validate_cmd import read_file


@click.group("mwo")
def mwo() -> None:
    """Move from AWS's MLOps Workload Orchestrator (see docs/migrating-from-mwo.md)."""


@mwo.command("convert")
@click.argument("body_path", metavar="BODY", type=click.Path(path_type=Path))
@env_option("--bucket", "MLOPS_REGISTRY_BUCKET", "Registry bucket the manifest is meant for")
@click.option("--region", default="us-east-1", show_default=True, help="The registry's region.")
@env_option(
    "--image-accounts",
    "MLOPS_IMAGE_ACCOUNTS",
    "Comma-separated accounts the registry allows custom images from; without it they are not checked",
)
@click.option("--owner", help="Owner when the body's migration object names none (default: your login).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the manifest here.")
def convert_command(
    body_path: Path,
    bucket: str | None,
    region: str,
    image_accounts: str | None,
    owner: str | None,
    out: Path | None,
) -> None:
    """Map BODY (an MWO /provisionpipeline request body) onto a manifest or a monitoring section.

    The same mapping as the API's POST /provisionpipeline, offline: nothing is uploaded or registered.
    Prints the manifest (or monitoring section), the objects to copy, the fields not carried over and
    the next steps; exits 1 with every problem, each named by its field, when the body cannot be mapped.
    """
    accounts = (
        None if image_accounts is None else tuple(a.strip() for a in image_accounts.split(",") if a.strip())
    )
    where = Destination(registry_bucket=bucket or "<registry-bucket>", region=region, image_accounts=accounts)
    result = convert(read_file(body_path, "body"), caller=owner or getpass.getuser(), where=where)
    if isinstance(result, MwoRefusal):
        click.echo(f"{body_path}: {result.message}")
        for problem in result.problems:
            click.echo(f"  - {problem.path}: found {problem.found}; allowed: {problem.allowed}")
        raise click.exceptions.Exit(EXIT_PROBLEMS)
    _print(result, out)


def _login() -> str:
    """The user's login name, the owner a manifest names when the body does not."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (e.g. a container without a user)
        return "unknown"


def _print(result: MwoConversion, out: Path | None) -> None:
    """The manifest or monitoring section, then what to do with it."""
    if result.manifest_text is not None:
        click.echo(result.manifest_text.rstrip("\n"))
        if out is not None:
            out.write_text(result.manifest_text, encoding="utf-8")
            click.echo(f"wrote {out}", err=True)
    elif result.monitoring is not None:
        click.echo(json.dumps({"monitoring": result.monitoring}, indent=2))
    for copy in result.copies:
        click.echo(f"copy {copy.field}: {copy.source} -> {copy.target}", err=True)
    for ignored in result.ignored:
        click.echo(f"not carried over: {ignored.field} ({ignored.found}): {ignored.reason}", err=True)
    for step in result.next_steps:
        click.echo(f"next: {step}", err=True)
