"""A merge's model versions and image build contexts go to the registry bucket, the commit author recorded.

Versions are immutable: a version already in the registry with the same manifest is left alone (every merge
re-publishes the whole tree, so a push that batches several commits misses nothing); one with another
manifest is refused. The author's e-mail is signed into the manifest put (`requested-by`), which separation
of duties reads: the build's role made the put, and the person behind the commit may not approve it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambdas.common.duties import REQUESTED_BY_METADATA
from lambdas.common.s3_objects import object_exists
from mlops_cli.git_changes import Checked, check_all, git, repo_file
from mlops_contract.image_contexts import CONTEXT_FILE, image_tag
from mlops_manifest import Manifest
from mlops_manifest.registrable import check_manifest


@dataclass(frozen=True)
class Target:
    """Where the merge publishes, and the checks' settings."""

    s3: Any
    bucket: str
    region: str
    image_accounts: Collection[str]


def provenance(repo: Path, path: str) -> dict[str, str]:
    """Object metadata naming the author and commit that last changed the path."""
    line = (git(repo, "log", "-1", "--format=%ae %H", "--", path) or "").split()
    if len(line) != 2:
        raise ValueError(f"{path}: no commit in the checkout changed it (is the clone shallow?)")
    return {REQUESTED_BY_METADATA: line[0], "git-commit": line[1]}


def publish_version(target: Target, repo: Path, path: str) -> str:
    """Push one manifest (and its artifact, when the repository holds it); return what happened.

    Raises ValueError naming the problem when the version cannot be published.
    """
    raw = repo_file(repo, path).read_bytes()
    manifest = _valid(target, repo, path, raw)
    folder = f"models/{manifest.model_name}/{manifest.version}/"
    if not path.startswith(folder):
        declared = f"{manifest.model_name} {manifest.version}"
        raise ValueError(f"{path}: declares {declared}, so it belongs in {folder}")
    existing = _body(target, folder + "manifest.json")
    if existing == raw:
        return f"{path}: unchanged in the registry"
    if existing is not None:
        raise ValueError(
            f"{path}: {manifest.model_name} {manifest.version} is already in s3://{target.bucket}/{folder} "
            "with another manifest; versions are immutable: revert the change and add a new version folder"
        )
    _artifact(target, repo, folder, manifest.artifact.file_name, manifest.artifact.sha256)
    metadata = provenance(repo, path)
    target.s3.put_object(
        Bucket=target.bucket,
        Key=folder + "manifest.json",
        Body=raw,
        ContentType="application/json",
        Metadata=metadata,
    )
    return f"{path}: pushed, uploader {metadata[REQUESTED_BY_METADATA]}"


def _artifact(target: Target, repo: Path, folder: str, name: str, sha256: str | None) -> None:
    """Upload the artifact beside the manifest, or make sure one was uploaded to the registry already."""
    local = repo_file(repo, folder + name)
    key = folder + name
    if not local.is_file():
        if _exists(target, key):
            return
        raise ValueError(
            f"{folder}manifest.json: the artifact {name} is neither beside it in the repository nor in "
            f"s3://{target.bucket}/{key}; upload it there first (aws s3 cp) or commit it"
        )
    digest = hashlib.sha256(local.read_bytes()).hexdigest()
    if digest != sha256:
        raise ValueError(f"{key}: its sha256 is {digest} but the manifest declares {sha256}")
    target.s3.upload_file(str(local), target.bucket, key, ExtraArgs={"Metadata": {"sha256": digest}})


def publish_context(target: Target, repo: Path, folder: str) -> str:
    """Upload one image build context (a folder with a Dockerfile) once; its arrival starts the build."""
    key = f"{folder}/{CONTEXT_FILE}"
    if image_tag(key) is None:
        raise ValueError(
            f"{folder}: image folders are images/<name>/<tag> (name: up to 63 lowercase letters, digits, "
            "'.', '_', '-'; tag: up to 64 letters, digits, '.', '_', '-')"
        )
    if _exists(target, key):
        return f"{folder}: already built or building"
    target.s3.put_object(
        Bucket=target.bucket, Key=key, Body=context_archive(repo, folder), Metadata=provenance(repo, folder)
    )
    return f"{folder}: uploaded, the image build starts"


def context_archive(repo: Path, folder: str) -> bytes:
    """The tracked files of the folder as a reproducible tar.gz (sorted, no owners, no timestamps)."""
    listed = (git(repo, "ls-files", "-z", "--", folder) or "").split("\0")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in sorted(p for p in listed if p):
            data = repo_file(repo, path).read_bytes()
            info = tarfile.TarInfo(path.removeprefix(folder + "/"))
            info.size, info.mode = len(data), 0o644
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


def _valid(target: Target, repo: Path, path: str, raw: bytes) -> Manifest:
    """The manifest, or ValueError naming every problem the register function would report."""
    manifest, _, problems = check_manifest(raw, target.region, target.image_accounts, size=len(raw))
    if problems or manifest is None:
        (checked,) = check_all(repo, [path], target.region, target.image_accounts)
        raise ValueError(_describe(checked))
    return manifest


def _describe(checked: Checked) -> str:
    problems = "; ".join(f"{p.path}: found {p.found}; allowed: {p.allowed}" for p in checked.problems)
    return f"{checked.path}: {problems}"


def _body(target: Target, key: str) -> bytes | None:
    try:
        body: bytes = target.s3.get_object(Bucket=target.bucket, Key=key)["Body"].read()
    except target.s3.exceptions.NoSuchKey:
        return None
    return body


def _exists(target: Target, key: str) -> bool:
    return object_exists(target.s3, target.bucket, key)
