"""`mlops validate`: the register function's manifest checks, offline."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import click

from mlops_cli.api_mode import api_client, api_url
from mlops_cli.aws import Aws, aws_options, env_option
from mlops_cli.errors import EXIT_PROBLEMS, BadPathError
from mlops_manifest import Manifest, Problem
from mlops_manifest.registrable import check_manifest
from mlops_manifest.validate import MAX_MANIFEST_BYTES


def read_file(path: Path, what: str) -> bytes:
    """Read a local file (at most a manifest's size limit + 1 byte); a bad path is a usage error."""
    if not path.exists():
        raise BadPathError(f"{what} not found: {path}")
    if not path.is_file():
        raise BadPathError(f"{what} is not a file: {path}")
    with path.open("rb") as handle:
        return handle.read(MAX_MANIFEST_BYTES + 1)


def print_problems(source: str, problems: list[Problem]) -> None:
    """Print every problem with its path, what was found and what is allowed."""
    click.echo(f"{source}: {len(problems)} problem(s)")
    for problem in problems:
        click.echo(f"  - {problem.path}: found {problem.found}; allowed: {problem.allowed}")


def valid_manifest(
    raw: bytes,
    source: str,
    region: str,
    image_accounts: Collection[str] | None = None,
    *,
    size: int | None = None,
) -> tuple[Manifest, str]:
    """Return the manifest and its image, or print the problems and exit 1."""
    manifest, image, problems = check_manifest(raw, region, image_accounts, size=size)
    if problems or manifest is None or image is None:
        print_problems(source, problems)
        raise click.exceptions.Exit(EXIT_PROBLEMS)
    return manifest, image


@click.command("validate")
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(path_type=Path))
@env_option(
    "--image-accounts",
    "MLOPS_IMAGE_ACCOUNTS",
    "Comma-separated accounts the registry allows custom images from (config registry.image_accounts); "
    "without it a custom image's account is not checked",
)
@aws_options
def validate(aws: Aws, manifest_path: Path, image_accounts: str | None) -> None:
    """Check MANIFEST (manifest.json) with the register function's rules, offline.

    Runs the schema checks and resolves the serving image for --region (the registry's region).
    Prints every problem (path, what was found, what is allowed) and exits 1, or prints "valid"
    and exits 0. A missing file exits 2. No AWS call is made, except with `mlops --api URL`: then the
    provisioning API checks it, with the deployed registry's region and image accounts.
    """
    region = aws.region or aws.region_name()
    accounts = None if image_accounts is None else [a.strip() for a in image_accounts.split(",") if a.strip()]
    raw = read_file(manifest_path, "manifest")
    if api_url():
        _remote(api_client(aws, "validate").call("POST", "manifests/validate", raw), str(manifest_path))
        return
    size = manifest_path.stat().st_size
    manifest, image = valid_manifest(raw, str(manifest_path), region, accounts, size=size)
    click.echo(f"valid: {manifest.model_name} version {manifest.version}, image {image} ({region})")


def _remote(verdict: dict[str, Any], source: str) -> None:
    """Print the API's verdict: "valid", or every problem and exit 1."""
    if not verdict["valid"]:
        print_problems(
            source, [Problem(p["path"], p["found"], p["allowed"], p["code"]) for p in verdict["problems"]]
        )
        raise click.exceptions.Exit(EXIT_PROBLEMS)
    click.echo(
        f"valid: {verdict['model_name']} version {verdict['version']}, image {verdict['image_uri']} (API)"
    )
