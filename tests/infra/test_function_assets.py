"""Every function's code asset holds every project module its code imports, and nothing from synthesis."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PROJECT_PACKAGES = {"lambdas", "mlops_contract", "mlops_manifest", "mlops_drift"}
SYNTHESIS_ONLY = {"aws_cdk", "constructs", "cdk_nag", "stacks", "mlops_constructs", "mlops_config", "app"}


def is_module(root: Path, dotted: str) -> bool:
    """True when `dotted` is a module file or a package under `root`."""
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(source: Path) -> set[str]:
    """Every module the file imports, at any depth (deferred imports included); `from p import m` counts
    `p.m` when the repository has such a module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            names = (f"{node.module}.{alias.name}" for alias in node.names)
            found.update(name for name in names if is_module(REPO_ROOT, name))
    return found


def function_assets(outdir: Path) -> dict[str, tuple[Path, str]]:
    """(code folder, handler) of every Lambda function of the tooling stack whose code is a local asset."""
    (template_file,) = outdir.glob("*-Tooling.template.json")
    resources = json.loads(template_file.read_text())["Resources"]
    assets = {}
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        key = properties.get("Code", {}).get("S3Key")
        if resource["Type"] == "AWS::Lambda::Function" and isinstance(key, str) and "Handler" in properties:
            folder = outdir / f"asset.{key.removesuffix('.zip')}"
            if (folder / "lambdas").is_dir():
                assets[logical_id] = (folder, properties["Handler"])
    return assets


@pytest.fixture(scope="module")
def assets(synthesized_app):
    found = function_assets(synthesized_app.outdir)
    assert len(found) >= 8, f"expected the orchestrator's functions, found {sorted(found)}"
    return found


def test_each_handler_module_is_in_its_asset(assets):
    for logical_id, (folder, handler) in assets.items():
        module = handler.rsplit(".", 1)[0]
        assert folder.joinpath(*module.split(".")).with_suffix(".py").is_file(), logical_id


def module_file(root: Path, dotted: str) -> Path:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"


def import_closure(folder: Path, handler_module: str) -> tuple[set[str], set[str]]:
    """(project modules the handler reaches, deferred imports included; those missing from the asset)."""
    seen, missing, queue = set(), set(), [handler_module]
    while queue:
        module = queue.pop()
        if module in seen:
            continue
        seen.add(module)
        if not is_module(folder, module):
            missing.add(module)
            continue
        parents = [".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)]
        queue += [
            m
            for m in (*imported_modules(module_file(folder, module)), *parents)
            if m.split(".")[0] in PROJECT_PACKAGES
        ]
    return seen, missing


def test_every_project_module_a_handler_reaches_is_in_its_asset(assets):
    missing = {}
    for logical_id, (folder, handler) in assets.items():
        _, absent = import_closure(folder, handler.rsplit(".", 1)[0])
        if absent:
            missing[logical_id] = sorted(absent)
    assert missing == {}


def test_function_code_imports_nothing_that_only_synthesis_has(assets):
    offenders = {}
    for logical_id, (folder, _) in assets.items():
        wanted = {m.split(".")[0] for f in folder.rglob("*.py") for m in imported_modules(f)}
        if wanted & SYNTHESIS_ONLY:
            offenders[logical_id] = sorted(wanted & SYNTHESIS_ONLY)
    assert offenders == {}
