"""`mlops --api URL ...`: push, status and validate through the provisioning API instead of S3 directly."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import click

from mlops_cli.api_client import ApiClient, api_region, path, put_file
from mlops_cli.aws import Aws
from mlops_cli.errors import CliError
from mlops_manifest import Manifest

API_OPTION = "api_url"


def api_url() -> str | None:
    """The API URL given to `mlops --api` (or MLOPS_API_URL), None when the CLI talks to S3 directly."""
    context = click.get_current_context(silent=True)
    found = context.find_object(dict) if context is not None else None
    return found.get(API_OPTION) if found else None


def api_client(aws: Aws, command: str) -> ApiClient:
    """A client for the API, signing with the session's credentials (--profile, --assume-role)."""
    url = api_url()
    if not url:
        raise CliError(
            f"`mlops {command}` needs the provisioning API: pass `mlops --api URL` or set MLOPS_API_URL"
        )
    credentials = aws.session().get_credentials()
    if credentials is None:
        raise CliError("no AWS credentials found to sign API requests: set AWS_PROFILE (or --profile)")
    return ApiClient(url, credentials, api_region(url, aws.region_name()))


def push_through_api(client: ApiClient, artifact: Path, raw: bytes, manifest: Manifest, sha256: str) -> None:
    """Ask the API for an upload, PUT the artifact (streamed) and then the manifest to its URLs."""
    request = {
        "model_name": manifest.model_name,
        "version": manifest.version,
        "artifact_size_bytes": artifact.stat().st_size,
        "artifact_sha256": sha256,
        "artifact_file_name": manifest.artifact.file_name,
        "manifest_size_bytes": len(raw),
        "manifest_sha256": hashlib.sha256(raw).hexdigest(),
    }
    grant = client.call("POST", "uploads", request)
    put_file(grant["artifact"], artifact)
    put_file(grant["manifest"], raw)
    for put in (grant["artifact"], grant["manifest"]):
        click.echo(f"uploaded s3://{put['bucket']}/{put['key']} through the API")
    click.echo(f"registration starts now; follow it with: mlops status {manifest.model_name}")


def status_through_api(client: ApiClient, model: str, version: str | None) -> dict[str, Any]:
    """GET /models/{name}, in the shape `mlops status` renders (filtered to one version when given)."""
    found = client.call("GET", f"models/{path(model)}")
    keep = (lambda item: item.get("version") == version) if version else (lambda _item: True)
    endpoints = []
    for state in found["endpoints"]:
        drift = state.get("drift")
        if drift:
            details = drift.get("details") or {}
            drift = {"status": drift["status"], "drifted_features": details.get("drifted_features") or []}
        endpoints.append({**state, "drift": drift})
    return {
        "model": found["model_name"],
        "version": version,
        "versions": [v for v in found["versions"] if keep(v)],
        "rejections": [r for r in found["rejections"] if keep(r)],
        "executions": [e for e in found["executions"] if keep(e)],
        "endpoints": endpoints,
    }
