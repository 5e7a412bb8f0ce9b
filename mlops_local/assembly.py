"""The synthesized cloud assembly local mode runs from, cached by a hash of the sources it is built from."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLING_TEMPLATE = "MlopsOrchestrator-Tooling.template.json"
_SOURCES = ("app.py", "cdk.json", "config", "stacks", "mlops_constructs", "mlops_config", "lambdas")
_SOURCES_EXTRA = ("mlops_manifest", "mlops_drift", "mlops_contract", "requirements.txt")
_STAMP = "source.sha256"


@dataclass(frozen=True)
class Assembly:
    """One synthesized app: the tooling template and where its assets and blueprints are."""

    outdir: Path

    @property
    def tooling(self) -> dict[str, Any]:
        """The tooling stack's CloudFormation template."""
        return self.template(TOOLING_TEMPLATE.removesuffix(".template.json"))

    def template(self, stack: str) -> dict[str, Any]:
        """One stack's CloudFormation template, by stack name."""
        document: dict[str, Any] = json.loads((self.outdir / f"{stack}.template.json").read_text())
        return document

    def environments(self) -> dict[str, tuple[str | None, str | None]]:
        """Each stack's (account, region), by stack name; None where the app leaves it to the credentials."""
        manifest = json.loads((self.outdir / "manifest.json").read_text())
        found: dict[str, tuple[str | None, str | None]] = {}
        for artifact in manifest["artifacts"].values():
            if artifact["type"] == "aws:cloudformation:stack":
                account, region = artifact["environment"].removeprefix("aws://").split("/", 1)
                found[artifact["properties"]["templateFile"].removesuffix(".template.json")] = (
                    None if account == "unknown-account" else account,
                    None if region == "unknown-region" else region,
                )
        return found

    @property
    def tooling_account(self) -> str | None:
        """The tooling stack's account, when the config names one."""
        return self.environments()[TOOLING_TEMPLATE.removesuffix(".template.json")][0]

    def stage_stacks(self) -> dict[str, str]:
        """The stage target stacks, in accounts other than the tooling one: their account, by stack name."""
        tooling = self.tooling_account
        return {
            name: account
            for name, (account, _) in self.environments().items()
            if account is not None and account != tooling
        }

    def asset_dir(self, object_key: str) -> Path:
        """The local folder of a file asset, from its S3 object key (`<hash>.zip`)."""
        return self.outdir / f"asset.{object_key.split('.', 1)[0]}"


def source_hash(root: Path = REPO_ROOT) -> str:
    """A sha256 over every Python, JSON and TOML source file the synthesized app depends on."""
    digest = hashlib.sha256()
    for name in (*_SOURCES, *_SOURCES_EXTRA):
        path = root / name
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and file.suffix in {".py", ".json", ".toml", ".txt"}:
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def synthesize(outdir: Path, config: Path | None = None) -> Assembly:
    """Synthesize the whole app with a config (default: the default config) into `outdir` (about 15 s:
    jsii, bundling, compliance packs)."""
    bin_dir = REPO_ROOT / "node_modules" / ".bin"
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"  # jsii starts `node` from PATH
    from aws_cdk import App

    from mlops_config import load_config
    from stacks.orchestrator_app import DEFAULT_CONFIG, build_app, feature_flags

    build_app(App(outdir=str(outdir), context=feature_flags()), load_config(config or DEFAULT_CONFIG)).synth()
    return Assembly(outdir)


def cached_assembly(cache_dir: Path, config: Path | None = None) -> tuple[Assembly, bool]:
    """The assembly under `cache_dir`, synthesized again only when a source changed; (assembly, reused)."""
    stamp, wanted = cache_dir / _STAMP, source_hash() + (f":{config}" if config else "")
    outdir = cache_dir / "cdk.out"
    if stamp.is_file() and stamp.read_text() == wanted and (outdir / TOOLING_TEMPLATE).is_file():
        return Assembly(outdir), True
    shutil.rmtree(outdir, ignore_errors=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    assembly = synthesize(outdir, config)
    stamp.write_text(wanted)
    return assembly, False
