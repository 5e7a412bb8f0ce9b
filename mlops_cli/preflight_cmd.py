"""`mlops preflight`: checks a multi-account deployment from the tooling account; exit 1 on any failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mlops_cli.aws import Aws, aws_options
from mlops_cli.config_file import read_config
from mlops_cli.errors import EXIT_PROBLEMS, CliError
from mlops_cli.preflight import LOOKUP_ROLE, Clients, Finding, Preflight, run_preflight
from mlops_config.targets import remote_targets


def assume_lookup_role(aws: Aws) -> Callable[[str, str], Clients]:
    """Clients in a stage account through its CDK lookup role (read-only), assumed with tooling keys."""

    def assume(account: str, region: str) -> Clients:
        role = f"arn:aws:iam::{account}:role/{LOOKUP_ROLE.format(account=account, region=region)}"
        credentials = aws.client("sts").assume_role(RoleArn=role, RoleSessionName="mlops-preflight")[
            "Credentials"
        ]
        keys = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
        session = aws.session()

        def client(service: str) -> Any:
            return session.client(service, region_name=region, endpoint_url=aws.endpoint_url, **keys)

        return client

    return assume


def tooling_in(aws: Aws) -> Callable[[str], Clients]:
    """Tooling clients in another region (the pipelines' artifact store there), with the same credentials."""

    def clients(region: str) -> Clients:
        session = aws.session()
        return lambda service: session.client(service, region_name=region, endpoint_url=aws.endpoint_url)

    return clients


def render(findings: list[Finding]) -> None:
    """One line per check; a failed check is followed by the command that fixes it."""
    width = max((len(f.where) for f in findings), default=5)
    for finding in findings:
        mark = "ok  " if finding.ok else "FAIL"
        click.echo(f"{mark} {finding.where:<{width}}  {finding.check}: {finding.detail}")
        if finding.fix:
            click.echo(f"     {'':<{width}}  fix: {finding.fix}")
    failed = sum(1 for f in findings if not f.ok)
    click.echo(f"{len(findings) - failed} passed, {failed} failed")


@click.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=Path("config/multi-account.toml"),
    show_default=True,
    help="The deployment config that was deployed.",
)
@aws_options
def preflight(config_path: Path, aws: Aws) -> None:
    """Check every stage account of a multi-account deployment, with tooling credentials.

    Checks the stacks are deployed at this checkout's version, the pipelines may assume each stage's
    deploy role, each stage's SageMaker role is named in the registry's key and bucket policies, events
    are forwarded to the tooling bus, and the tooling account may read each stage account (bootstrap
    trust). Every failure says the command that fixes it; the exit status is 1 when any check fails.
    """
    config = read_config(config_path)
    if not remote_targets(config):
        raise CliError(f"{config_path} deploys every stage with the tooling stack: nothing to check")
    findings = run_preflight(
        Preflight(config, config_path, aws.client, assume_lookup_role(aws), tooling_in=tooling_in(aws))
    )
    render(findings)
    if not all(f.ok for f in findings):
        raise SystemExit(EXIT_PROBLEMS)
