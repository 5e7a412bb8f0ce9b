"""`mlops status --config`: each stage's endpoint read where the config deploys it.

Stages in the tooling account are read with the caller's own credentials. A stage in another account is read
through that account's read-only report-reader role (the target stack's `ReportReaderRoleArn` output, made
when `[environment] report_readers` names the caller's role), given as `--reader-role ACCOUNT=ROLE_ARN`.
A stage that cannot be read gets one line saying why and what to pass; the other stages are still shown.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from botocore.exceptions import BotoCoreError, ClientError

from lambdas.common.endpoint_status import endpoint_state
from mlops_cli.aws import Aws
from mlops_cli.config_file import read_config
from mlops_config import OrchestratorConfig
from mlops_config.targets import stage_placement, target_stack_name, tooling_placement

NOT_READ = "NotRead"


@dataclass(frozen=True)
class StagePlace:
    """A stage and, when it is not the tooling account, the account and target stack it is deployed in."""

    stage: str
    account: str | None = None
    stack: str | None = None


def load_places(path: Path) -> list[StagePlace]:
    """The config's stages in order, each with its account when that is not the tooling one."""
    return stage_places(read_config(path))


def stage_places(config: OrchestratorConfig) -> list[StagePlace]:
    """Where each stage of a loaded config is deployed."""
    home = tooling_placement(config)
    places = []
    for stage in config.stages:
        placement = stage_placement(config, stage)
        if placement.account is None or placement.account == home.account:
            places.append(StagePlace(stage.name))
        else:
            places.append(StagePlace(stage.name, placement.account, target_stack_name(config, placement)))
    return places


def parse_reader_roles(values: tuple[str, ...]) -> dict[str, str]:
    """`ACCOUNT=ROLE_ARN` pairs by account; a malformed pair is refused with what was expected."""
    roles = {}
    for value in values:
        account, _, role = value.partition("=")
        if not (
            account.isdigit() and len(account) == 12 and role.startswith(f"arn:aws:iam::{account}:role/")
        ):
            raise click.BadParameter(
                f"{value!r}: expected ACCOUNT=ROLE_ARN, a 12-digit account and a role ARN of that account",
                param_hint="--reader-role",
            )
        roles[account] = role
    return roles


def remote_state(aws: Aws, place: StagePlace, endpoint: str, roles: dict[str, str]) -> dict[str, Any]:
    """One stage's endpoint as its own account's SageMaker reports it, read as that account's reader role."""
    account = str(place.account)
    unread = {"stage": place.stage, "endpoint": endpoint, "status": NOT_READ, "account": account}
    role = roles.get(account)
    if role is None:
        hint = f"pass --reader-role {account}=<ReportReaderRoleArn output of {place.stack}>"
        return {**unread, "problem": f"no reader role given for account {account}: {hint}"}
    try:
        sagemaker = dataclasses.replace(aws, role_arn=role).client("sagemaker")
        state = endpoint_state(sagemaker, place.stage, endpoint)
    except click.ClickException as error:  # the role could not be assumed (the message names it)
        return {**unread, "problem": error.message}
    except (ClientError, BotoCoreError) as error:
        return {**unread, "problem": f"could not read {endpoint} as {role}: {error}"}
    return {**state, "account": account, "read_as": role}
