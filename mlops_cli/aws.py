"""AWS connection options shared by every command: endpoint URL (local mode), region and profile."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import boto3
import click
from botocore.config import Config
from botocore.exceptions import ClientError

from mlops_cli.endpoint_url import is_loopback

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_REGION = "us-east-1"
# Local mode (a moto server) accepts any credentials; these are used only when none are configured.
LOCAL_CREDENTIALS = {"aws_access_key_id": "mlops-local", "aws_secret_access_key": "mlops-local"}
_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=60)


@dataclass(frozen=True)
class Aws:
    """Creates boto3 clients for real AWS (normal credential chain) or a local endpoint URL."""

    endpoint_url: str | None
    region: str | None
    profile: str | None
    role_arn: str | None = None  # e.g. a stage account's report-reader role

    def session(self) -> boto3.Session:
        """A session for the profile (as the role, when one is given); local mode without credentials
        gets placeholder ones."""
        local = bool(self.endpoint_url and is_loopback(self.endpoint_url))
        if self.role_arn:
            return _assumed(self.profile, self.region, local, self.endpoint_url, self.role_arn)
        return _session(self.profile, self.region, local)

    def client(self, service: str) -> Any:
        """A client for a service, at the endpoint URL when one was given."""
        session = self.session()
        region = session.region_name or (DEFAULT_REGION if self.endpoint_url else None)
        return session.client(service, endpoint_url=self.endpoint_url, region_name=region, config=_CONFIG)

    def region_name(self) -> str:
        """The region in effect: --region, the profile's or environment's, else us-east-1."""
        return self.region or os.environ.get("AWS_REGION") or self.session().region_name or DEFAULT_REGION


@functools.cache
def _session(profile: str | None, region: str | None, local: bool) -> boto3.Session:
    """One session per settings (creating sessions and loading service models is slow)."""
    session = boto3.Session(profile_name=profile, region_name=region)
    if local and session.get_credentials() is None:
        session = boto3.Session(region_name=region, **LOCAL_CREDENTIALS)
    return session


def session_name(caller_arn: str) -> str:
    """The role session name for a caller: its own user or session name, so that CloudTrail and the
    separation-of-duties checks still name the person behind the assumed role (never one shared name)."""
    name = re.sub(r"[^\w+=,.@-]", "-", caller_arn.rsplit("/", 1)[-1])[:64]
    return name if len(name) >= 2 else "mlops-cli"


@functools.cache
def _assumed(
    profile: str | None, region: str | None, local: bool, endpoint_url: str | None, role_arn: str
) -> boto3.Session:
    """A session with the role's temporary credentials, assumed once per settings."""
    base = _session(profile, region, local)
    sts = base.client("sts", endpoint_url=endpoint_url, region_name=base.region_name or DEFAULT_REGION)
    try:
        caller = sts.get_caller_identity()["Arn"]
        credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name(caller))["Credentials"]
    except ClientError as error:
        reason = error.response.get("Error", {}).get("Message", "access denied")
        raise click.ClickException(f"cannot assume {role_arn}: {reason}") from error
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=base.region_name,
    )


def aws_options(command: F) -> F:
    """Add --endpoint-url, --region and --profile; the command receives them as one `aws: Aws` argument."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        endpoint_url: str | None,
        region: str | None,
        profile: str | None,
        assume_role: str | None,
        **kw: Any,
    ) -> Any:
        return command(*args, aws=Aws(endpoint_url, region, profile, assume_role), **kw)

    options = [
        click.option(
            "--assume-role",
            metavar="ROLE_ARN",
            help="Act as this role, e.g. a stage account's ReportReaderRoleArn (see docs/multi-account.md).",
        ),
        click.option("--profile", help="AWS named profile (default: the normal boto3 credential chain)."),
        click.option(
            "--region", help="AWS region (default: AWS_REGION, the profile's region, else us-east-1)."
        ),
        click.option(
            "--endpoint-url",
            envvar="MLOPS_ENDPOINT_URL",
            metavar="URL",
            help="Send every AWS call to this URL, e.g. the local-mode moto server (env MLOPS_ENDPOINT_URL).",
        ),
    ]
    decorated: Any = wrapper
    for option in options:
        decorated = option(decorated)
    return cast(F, decorated)


def env_option(flag: str, env: str, help_text: str, *, required: bool = False) -> Callable[[F], F]:
    """An option that falls back to an MLOPS_* environment variable (named in its help)."""
    return click.option(flag, envvar=env, required=required, help=f"{help_text} (env {env}).")
