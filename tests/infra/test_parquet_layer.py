"""The pyarrow layer: attached to the register function and the drift check only, both inside Lambda's
unzipped limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# Lambda's quota for a function's code plus all its layers, unzipped (250 MB).
UNZIPPED_LIMIT_BYTES = 262_144_000
REGISTER_HANDLER = "lambdas.register.handler.lambda_handler"
DRIFT_CHECK_HANDLER = "lambdas.drift_check.handler.lambda_handler"


@pytest.fixture(scope="module")
def tooling(synthesized_app: Any) -> dict[str, Any]:
    (path,) = synthesized_app.outdir.glob("*-Tooling.template.json")
    resources: dict[str, Any] = json.loads(path.read_text())["Resources"]
    return resources


@pytest.fixture(scope="module")
def parquet_layer_id(tooling: dict[str, Any]) -> str:
    (layer_id,) = [
        logical_id
        for logical_id, resource in tooling.items()
        if resource["Type"] == "AWS::Lambda::LayerVersion"
        and "pyarrow" in resource["Properties"]["Description"]
    ]
    return layer_id


def asset_folder(outdir: Path, resource: dict[str, Any]) -> Path:
    """The bundled asset directory a function (Code) or layer (Content) deploys: what Lambda unzips."""
    properties = resource["Properties"]
    key: str = (properties.get("Code") or properties["Content"])["S3Key"]
    folder = outdir / f"asset.{key.removesuffix('.zip')}"
    assert folder.is_dir(), folder
    return folder


def unpacked_bytes(outdir: Path, resource: dict[str, Any]) -> int:
    return sum(p.stat().st_size for p in asset_folder(outdir, resource).rglob("*") if p.is_file())


@pytest.mark.parametrize("handler", [REGISTER_HANDLER, DRIFT_CHECK_HANDLER])
def test_code_and_layers_fit_lambdas_unzipped_limit(
    synthesized_app: Any, tooling: dict[str, Any], parquet_layer_id: str, handler: str
) -> None:
    (function,) = [r for r in tooling.values() if r["Properties"].get("Handler") == handler]
    layer_ids = [ref["Ref"] for ref in function["Properties"]["Layers"]]
    assert parquet_layer_id in layer_ids and len(layer_ids) == 2

    parts = [function, *(tooling[layer_id] for layer_id in layer_ids)]
    sizes = [unpacked_bytes(synthesized_app.outdir, part) for part in parts]

    assert sum(sizes) < UNZIPPED_LIMIT_BYTES, sizes
    assert sizes[layer_ids.index(parquet_layer_id) + 1] > 50 * 1024**2  # pyarrow is really in it


def test_the_parquet_layer_holds_pyarrow_parquet_without_flight(
    synthesized_app: Any, tooling: dict[str, Any], parquet_layer_id: str
) -> None:
    folder = asset_folder(synthesized_app.outdir, tooling[parquet_layer_id])
    package = folder / "python" / "pyarrow"

    assert (package / "parquet" / "core.py").is_file()
    assert list(package.glob("_parquet.cpython-314-aarch64-linux-gnu.so"))
    assert not [p.name for p in package.glob("*flight*.so*")]  # flight.py stays: it raises ImportError
    assert not (package / "include").exists() and not (package / "tests").exists()
    assert not (folder / "python" / "numpy").exists()  # numpy comes from the shared layer


def test_no_other_function_gets_the_pyarrow_layer(synthesized_app: Any, parquet_layer_id: str) -> None:
    users = []
    for path in synthesized_app.template_files():
        resources = json.loads(path.read_text()).get("Resources", {})
        for resource in resources.values():
            layers = json.dumps(resource.get("Properties", {}).get("Layers", []))
            if resource["Type"] == "AWS::Lambda::Function" and parquet_layer_id in layers:
                users.append(resource["Properties"]["Handler"])

    assert sorted(users) == [DRIFT_CHECK_HANDLER, REGISTER_HANDLER]
