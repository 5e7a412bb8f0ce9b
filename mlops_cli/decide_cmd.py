"""`mlops approve`, `mlops reject` and `mlops rollback`: production decisions through the provisioning API."""

from __future__ import annotations

from typing import Any

import click

from mlops_cli.api_client import path
from mlops_cli.api_mode import api_client
from mlops_cli.aws import Aws, aws_options

_comment = click.option(
    "--comment", help="Why (recorded with the decision in the pipeline and the registry)."
)


def _decide(aws: Aws, verb: str, model: str, version: str, comment: str | None) -> dict[str, Any]:
    body = {"comment": comment} if comment else {}
    answer: dict[str, Any] = api_client(aws, verb).call(
        "POST", f"models/{path(model)}/versions/{path(version)}/{verb}", body
    )
    return answer


@click.command("approve")
@click.argument("model")
@click.argument("version")
@_comment
@aws_options
def approve(aws: Aws, model: str, version: str, comment: str | None) -> None:
    """Approve the production deployment waiting for MODEL VERSION, as yourself (needs `mlops --api URL`).

    Whoever uploaded the version (or requested its upload) cannot approve it: the API answers 403.
    """
    answer = _decide(aws, "approve", model, version, comment)
    click.echo(f"approved {model} {version}: {answer['pipeline']} execution {answer['execution_id']} goes on")


@click.command("reject")
@click.argument("model")
@click.argument("version")
@_comment
@aws_options
def reject(aws: Aws, model: str, version: str, comment: str | None) -> None:
    """Reject the production deployment waiting for MODEL VERSION (needs `mlops --api URL`)."""
    answer = _decide(aws, "reject", model, version, comment)
    click.echo(f"rejected {model} {version}: {answer['pipeline']} execution {answer['execution_id']} stops")


@click.command("rollback")
@click.argument("model")
@_comment
@aws_options
def rollback(aws: Aws, model: str, comment: str | None) -> None:
    """Redeploy MODEL's previous approved version through the pipeline (needs `mlops --api URL`).

    It goes through staging and the production approval like any deployment.
    """
    body = {"comment": comment} if comment else {}
    answer = api_client(aws, "rollback").call("POST", f"models/{path(model)}/rollback", body)
    click.echo(
        f"rolling {model} back from version {answer['from_version']} to {answer['to_version']}: "
        f"{answer['pipeline']} execution {answer['execution_id']} started"
    )
