"""One-line, actionable error messages instead of tracebacks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import click
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class CliError(click.ClickException):
    """An error shown as a one-line `Error: <message>`, exit status 1."""

    exit_code = EXIT_PROBLEMS


class BadPathError(CliError):
    """A file named on the command line is missing or unusable, exit status 2."""

    exit_code = EXIT_USAGE


def describe_aws_error(error: Exception) -> str:
    """A one-line description of a botocore error, with what to do about it."""
    if isinstance(error, EndpointConnectionError):
        url = urlparse(str(error.kwargs.get("endpoint_url", "")))
        return f"cannot reach {url.scheme}://{url.netloc}: is the endpoint running (or the network up)?"
    if isinstance(error, NoCredentialsError):
        return "no AWS credentials found: set AWS_PROFILE (or --profile) or use --endpoint-url for local mode"
    if isinstance(error, ProfileNotFound):
        return f"AWS profile not found: {error.kwargs.get('profile')}"
    if isinstance(error, NoRegionError):
        return "no AWS region: pass --region or set AWS_REGION"
    if isinstance(error, ClientError):
        info: dict[str, Any] = error.response.get("Error", {})
        operation = error.operation_name
        return f"{operation} failed: {info.get('Code', 'Error')}: {info.get('Message', '')}".rstrip(": ")
    return f"AWS error: {error}"


class MlopsGroup(click.Group):
    """A command group that turns AWS and file-system errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; translate the errors a user can act on."""
        try:
            return super().invoke(ctx)
        except (BotoCoreError, ClientError) as error:
            raise CliError(describe_aws_error(error)) from error
        except OSError as error:
            raise CliError(f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")) from error
