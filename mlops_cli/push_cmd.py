"""`mlops push`: validate, check the digest, upload the artifact and then the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mlops_cli.api_mode import api_client, api_url, push_through_api
from mlops_cli.aws import Aws, aws_options, env_option
from mlops_cli.errors import BadPathError, CliError
from mlops_cli.transfer import existing_digest, file_sha256, progress_bars, upload_artifact, with_digest
from mlops_cli.validate_cmd import read_file, valid_manifest
from mlops_manifest import Manifest

MODELS_PREFIX = "models"


def _filled_copy(raw: bytes, manifest_path: Path, sha256: str) -> tuple[bytes, Path]:
    """Write a copy of the manifest with the computed digest next to the original."""
    filled = with_digest(raw, sha256)
    if filled is None:
        raise CliError(f"cannot fill artifact.sha256: {manifest_path} is not a JSON object with 'artifact'")
    copy = manifest_path.with_name(f"{manifest_path.stem}.with-digest.json")
    copy.write_bytes(filled)
    click.echo(f"wrote {copy} with artifact.sha256 = {sha256}")
    return filled, copy


@click.command("push")
@click.argument("artifact", type=click.Path(path_type=Path))
@click.option(
    "--manifest", "manifest_path", required=True, type=click.Path(path_type=Path), help="manifest.json"
)
@env_option("--bucket", "MLOPS_REGISTRY_BUCKET", "Registry bucket (not with `mlops --api`)")
@click.option(
    "--write-digest",
    is_flag=True,
    help="Fill artifact.sha256 with the digest in a copy (<manifest>.with-digest.json); push that.",
)
@click.option("--no-progress", is_flag=True, help="Do not draw progress bars.")
@aws_options
def push(
    aws: Aws, artifact: Path, manifest_path: Path, bucket: str | None, write_digest: bool, no_progress: bool
) -> None:
    """Upload ARTIFACT (model.tar.gz) and its manifest to the registry bucket.

    Validates the manifest, checks that the artifact's sha256 equals artifact.sha256, uploads the
    artifact and then the manifest (the trigger of registration) to models/<model>/<version>/, and
    refuses to replace a version already pushed with a different digest. With `mlops --api URL`, the
    provisioning API grants the upload and both files go to its pre-signed URLs (no --bucket needed).
    """
    raw = read_file(manifest_path, "manifest")
    _check_destination(artifact, bucket)
    with progress_bars(not no_progress) as progress:
        sha256 = file_sha256(artifact, progress)
        raw, manifest = _checked(aws, raw, manifest_path, sha256, write_digest=write_digest)
        if api_url() or not bucket:
            push_through_api(api_client(aws, "push"), artifact, raw, manifest, sha256)
            return
        folder = f"{MODELS_PREFIX}/{manifest.model_name}/{manifest.version}/"
        s3 = aws.client("s3")
        if _already_pushed(s3, bucket, folder, manifest, sha256):
            click.echo(f"{manifest.model_name} {manifest.version} is already pushed with this artifact.")
            return
        upload_artifact(s3, artifact, bucket, folder + manifest.artifact.file_name, sha256, progress)
    s3.put_object(Bucket=bucket, Key=folder + "manifest.json", Body=raw, ContentType="application/json")
    click.echo(f"uploaded s3://{bucket}/{folder}{manifest.artifact.file_name} (sha256 {sha256})")
    click.echo(f"uploaded s3://{bucket}/{folder}manifest.json: registration starts now")
    click.echo(f"follow the deployment with: mlops status {manifest.model_name} --version {manifest.version}")


def _check_destination(artifact: Path, bucket: str | None) -> None:
    """The artifact exists, and there is somewhere to push it: the bucket or the API."""
    if not artifact.is_file():
        raise BadPathError(f"artifact not found: {artifact}")
    if not bucket and not api_url():
        raise click.UsageError(
            "push needs --bucket (or MLOPS_REGISTRY_BUCKET), or the API: `mlops --api URL push ...`"
        )


def _checked(aws: Aws, raw: bytes, path: Path, sha256: str, *, write_digest: bool) -> tuple[bytes, Manifest]:
    """The manifest to push (with --write-digest, the filled copy), valid and declaring this digest."""
    source = str(path)
    if write_digest:
        raw, copy = _filled_copy(raw, path, sha256)
        source = str(copy)
    manifest, _ = valid_manifest(raw, source, aws.region_name())
    if manifest.artifact.sha256 != sha256:
        raise CliError(
            f"artifact sha256 is {sha256} but the manifest declares {manifest.artifact.sha256} "
            "(rerun with --write-digest to fill it in a copy)"
        )
    return raw, manifest


def _already_pushed(s3: Any, bucket: str, folder: str, manifest: Manifest, sha256: str) -> bool:
    """True when this exact artifact is already pushed; refuse when the version holds another one."""
    previous = existing_digest(s3, bucket, folder + "manifest.json")
    if previous is not None and previous != sha256:
        raise CliError(
            f"{manifest.model_name} version {manifest.version} already exists in s3://{bucket}/{folder} "
            f"with sha256 {previous or '(unreadable)'}; push a new version instead"
        )
    return previous == sha256
