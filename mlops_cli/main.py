"""Entry point of the `mlops` command."""

from __future__ import annotations

import click

from mlops_cli.drift_cmd import drift
from mlops_cli.errors import MlopsGroup
from mlops_cli.local_cmd import local
from mlops_cli.preflight_cmd import preflight
from mlops_cli.push_cmd import push
from mlops_cli.status_cmd import status
from mlops_cli.training_cmd import training
from mlops_cli.validate_cmd import validate


@click.group(cls=MlopsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlops-orchestrator", message="mlops %(version)s")
def cli() -> None:
    """MLOps Orchestrator: validate and push models, follow their deployment and drift.

    Every command works against AWS with the normal credential chain (--profile, --region) and
    against local mode with --endpoint-url (or MLOPS_ENDPOINT_URL).
    """


cli.add_command(validate)
cli.add_command(push)
cli.add_command(status)
cli.add_command(drift)
cli.add_command(local)
cli.add_command(training)
cli.add_command(preflight)
