"""Unzipped size of each Lambda function (code plus layers), measured on the assembly's asset folders."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Lambda's quota for a function's code plus all its layers, unzipped: 250 MB.
UNZIPPED_LIMIT_BYTES = 262_144_000


@dataclass(frozen=True)
class FunctionSize:
    """What Lambda unpacks for one function, in bytes."""

    template: str
    function: str
    handler: str
    code: int
    layers: tuple[int, ...]

    @property
    def total(self) -> int:
        """Code plus every layer."""
        return self.code + sum(self.layers)

    @property
    def margin(self) -> int:
        """Bytes left below Lambda's unzipped limit (negative: over it)."""
        return UNZIPPED_LIMIT_BYTES - self.total


def function_sizes(template_path: Path) -> list[FunctionSize]:
    """Every `AWS::Lambda::Function` of a synthesized template with its unzipped code and layer sizes."""
    resources: dict[str, Any] = json.loads(template_path.read_text(encoding="utf-8")).get("Resources", {})
    sizes = []
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        properties = resource["Properties"]
        layers = tuple(
            _content_bytes(template_path.parent, _layer(resources, ref, logical_id)["Content"])
            for ref in properties.get("Layers", [])
        )
        code = _content_bytes(template_path.parent, properties["Code"])
        sizes.append(
            FunctionSize(template_path.name, logical_id, properties.get("Handler", ""), code, layers)
        )
    return sizes


def _layer(resources: dict[str, Any], ref: Any, function: str) -> dict[str, Any]:
    if not (isinstance(ref, dict) and ref.get("Ref") in resources):
        raise ValueError(f"{function}: layer {ref!r} is not a layer of this template; its size is unknown")
    properties: dict[str, Any] = resources[ref["Ref"]]["Properties"]
    return properties


def _content_bytes(assembly: Path, content: dict[str, Any]) -> int:
    """Bytes of inline code, or of the asset folder the content's S3 key names (what CDK zips)."""
    if "ZipFile" in content:
        return len(str(content["ZipFile"]).encode("utf-8"))
    key = content.get("S3Key")
    if not isinstance(key, str) or not key.endswith(".zip"):
        raise ValueError(f"code at {key!r} is not a zipped asset of this assembly; its size is unknown")
    folder = assembly / f"asset.{key.removesuffix('.zip')}"
    if not folder.is_dir():
        raise ValueError(f"asset folder {folder} is missing: synthesize again")
    # CDK follows symbolic links when it zips a folder, so a link counts as what it points to.
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
