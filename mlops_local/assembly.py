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
        document: dict[str, Any] = json.loads((self.outdir / TOOLING_TEMPLATE).read_text())
        return document

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
