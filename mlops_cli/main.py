"""Entry point of the `mlops` command."""

from __future__ import annotations

import click

from mlops_cli.api_mode import API_OPTION
from mlops_cli.decide_cmd import approve, reject, rollback
from mlops_cli.drift_cmd import drift
from mlops_cli.errors import MlopsGroup
from mlops_cli.git_cmd import git_group
from mlops_cli.local_cmd import local
from mlops_cli.mwo_cmd import mwo
from mlops_cli.preflight_cmd import preflight
from mlops_cli.push_cmd import push
from mlops_cli.status_cmd import status
from mlops_cli.training_cmd import training
from mlops_cli.validate_cmd import validate


@click.group(cls=MlopsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlops-orchestrator", message="mlops %(version)s")
@click.option(
    "--api",
    API_OPTION,
    envvar="MLOPS_API_URL",
    metavar="URL",
    help="Provisioning API base URL (ProvisioningApiUrl output, or `mlops local serve`'s): push, status and "
    "validate go through it, approve/reject/rollback need it; requests are SigV4-signed (env MLOPS_API_URL).",
)
@click.pass_context
def cli(context: click.Context, api_url: str | None) -> None:
    """MLOps Orchestrator: validate and push models, follow their deployment and drift.

    Every command works against AWS with the normal credential chain (--profile, --region) and
    against local mode with --endpoint-url (or MLOPS_ENDPOINT_URL).
    """
    context.ensure_object(dict)[API_OPTION] = api_url


cli.add_command(validate)
cli.add_command(push)
cli.add_command(status)
cli.add_command(drift)
cli.add_command(local)
cli.add_command(training)
cli.add_command(preflight)
cli.add_command(approve)
cli.add_command(reject)
cli.add_command(rollback)
cli.add_command(mwo)
cli.add_command(git_group)
