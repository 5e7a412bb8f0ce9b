"""The shared dependencies layer, installed by uv from the wheels: the pinned packages and nothing of uv's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mlops_constructs.local_bundling import REQUIREMENTS


def pinned(requirements: Path) -> dict[str, str]:
    """Normalized name -> version of every `name==version` line."""
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", requirements.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[-_.]+", "_", name).lower(): version for name, version in pins}


def layer_site(synthesized_app: Any) -> Path:
    (path,) = synthesized_app.outdir.glob("*-Tooling.template.json")
    resources = json.loads(path.read_text())["Resources"]
    (layer,) = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::LayerVersion" and "requirements.txt" in r["Properties"]["Description"]
    ]
    outdir: Path = synthesized_app.outdir
    return outdir / f"asset.{layer['Properties']['Content']['S3Key'].removesuffix('.zip')}" / "python"


def test_the_layer_installs_every_pin_at_its_version_and_no_runtime_package(synthesized_app: Any) -> None:
    site = layer_site(synthesized_app)
    installed = {
        name.lower(): version
        for name, version in (
            d.name.removesuffix(".dist-info").rsplit("-", 1) for d in site.glob("*.dist-info")
        )
    }

    assert pinned(REQUIREMENTS).items() <= installed.items()
    assert not {"boto3", "botocore", "s3transfer"} & installed.keys()
    assert not (site / ".lock").exists() and not list(site.glob("*.dist-info/uv_cache.json"))
