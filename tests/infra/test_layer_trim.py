"""Trimmed layers still hold everything the functions import: proved on trimmed copies of local packages.

The synthesized layers are Linux arm64 and cannot be imported here, so each layer's packages are copied from
this machine's site-packages (same pinned versions), trimmed by the same code, and every import statement of
each function's bundled code runs against them in a Python without site-packages.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mlops_constructs.layer_trim import trim_site

SITE_PACKAGES = Path(numpy.__file__).resolve().parent.parent
REPO_ROOT = Path(__file__).resolve().parents[2]
# What the Lambda Python runtime itself provides.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "dateutil", "urllib3", "six.py", "jmespath")
IMPORTER = """
import sys, traceback
sys.path[:0] = sys.argv[2:]
failed = []
for statement in open(sys.argv[1]).read().splitlines():
    try:
        exec(statement, {})
    except Exception as error:
        failed.append(f"{statement}: {type(error).__name__}: {error}")
print("\\n".join(failed))
"""


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def local_copy(names: list[str], site: Path) -> Path:
    """The local packages of the given top-level names in `site`, as the layer would install them."""
    site.mkdir(parents=True)
    for name in names:
        source = SITE_PACKAGES / name
        if source.is_dir():
            shutil.copytree(source, site / name, symlinks=True, copy_function=_link_or_copy)
        elif source.exists():
            _link_or_copy(str(source), str(site / name))
    return site


@pytest.fixture(scope="module")
def tooling(synthesized_app: Any) -> tuple[Path, dict[str, Any]]:
    (path,) = synthesized_app.outdir.glob("*-Tooling.template.json")
    return synthesized_app.outdir, json.loads(path.read_text())["Resources"]


def asset(outdir: Path, content: dict[str, Any]) -> Path:
    return outdir / f"asset.{content['S3Key'].removesuffix('.zip')}"


@pytest.fixture(scope="module")
def trimmed_layers(tooling, tmp_path_factory) -> dict[str, Path]:
    """Layer logical id -> a trimmed local copy of its packages."""
    outdir, resources = tooling
    copies = {}
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Lambda::LayerVersion":
            names = sorted(
                p.name for p in (asset(outdir, resource["Properties"]["Content"]) / "python").iterdir()
            )
            copies[logical_id] = local_copy(names, tmp_path_factory.mktemp(logical_id) / "python")
            trim_site(copies[logical_id])
    return copies


def _optional(guard: ast.AST) -> bool:
    """A `try` whose imports are optional: it handles ImportError (the function runs without them)."""
    return isinstance(guard, ast.Try) and any(
        handler.type is not None and "ImportError" in ast.unparse(handler.type) for handler in guard.handlers
    )


def _imports(module: Path) -> list[ast.Import | ast.ImportFrom]:
    """Absolute import statements of a module, nested ones included, except those only for type checkers
    and optional ones (test_the_drift_check_parses_capture_with_its_code_and_layers covers those it needs)."""
    tree = ast.parse(module.read_text())
    skipped = {
        id(node)
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.unparse(guard.test)
        for node in ast.walk(guard)
    }
    skipped |= {id(node) for guard in ast.walk(tree) if _optional(guard) for node in ast.walk(guard)}
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and id(node) not in skipped
        and not (isinstance(node, ast.ImportFrom) and (node.level or node.module == "__future__"))
    ]


def _bundled(code: Path, module: str) -> Path | None:
    base = code.joinpath(*module.split("."))
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)


def import_statements(code: Path, handler: str) -> list[str]:
    """Every import statement reachable from the handler's module through the bundled code."""
    pending, seen, statements = [handler.rsplit(".", 1)[0]], set(), set()
    while pending:
        module = pending.pop()
        path = _bundled(code, module)
        if module in seen or path is None:
            continue
        seen.add(module)
        for node in _imports(path):
            statements.add(ast.unparse(node))
            if isinstance(node, ast.Import):
                pending += [alias.name for alias in node.names]
            else:
                pending += [node.module or "", *(f"{node.module}.{alias.name}" for alias in node.names)]
    return sorted(statements)


def test_every_function_imports_what_it_needs_from_trimmed_layers(tooling, trimmed_layers, tmp_path):
    outdir, resources = tooling
    runtime = tmp_path / "runtime"
    local_copy(list(RUNTIME_PROVIDED), runtime)
    functions = {k: r["Properties"] for k, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    problems = {}
    for logical_id, properties in functions.items():
        code = asset(outdir, properties["Code"])
        (tmp_path / f"{logical_id}.txt").write_text("\n".join(import_statements(code, properties["Handler"])))
        layers = [str(trimmed_layers[ref["Ref"]]) for ref in properties.get("Layers", [])]
        result = subprocess.run(
            [
                sys.executable,
                "-B",  # writes no bytecode into the shared assembly's asset folders
                "-S",
                "-E",
                "-c",
                IMPORTER,
                str(tmp_path / f"{logical_id}.txt"),
                str(code),
                *layers,
                str(runtime),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        if result.stdout.strip():
            problems[logical_id] = result.stdout.strip().splitlines()

    assert len(functions) >= 8
    assert problems == {}


READER = """
import json, sys
sys.path[:0] = sys.argv[1:4]
import pyarrow
from mlops_drift.baseline_parquet import ParquetSource
with open(sys.argv[4], "rb") as file:
    batch = ParquetSource(file).read(["x", "colour", "flag"], {})
print(json.dumps({
    "pyarrow": pyarrow.__file__,
    "x": [None if v != v else v for v in batch.numeric["x"].tolist()],
    "colour": batch.categorical["colour"].tolist(),
    "flag": batch.categorical["flag"].tolist(),
}))
"""


def layer_of(resources: dict[str, Any], word: str) -> str:
    (logical_id,) = [
        k
        for k, r in resources.items()
        if r["Type"] == "AWS::Lambda::LayerVersion" and word in r["Properties"]["Description"]
    ]
    return logical_id


def test_trimmed_pyarrow_reads_parquet(tooling, trimmed_layers, tmp_path):
    _, resources = tooling
    parquet, shared = (
        trimmed_layers[layer_of(resources, "pyarrow")],
        trimmed_layers[layer_of(resources, "Pinned")],
    )
    x, colour, flag = [1.5, None, -2.0, 4.0], ["red", "blue", None, "red"], [True, False, True, None]
    table = pa.table({"x": x, "colour": pa.array(colour).dictionary_encode(), "flag": flag})
    pq.write_table(table, tmp_path / "b.parquet", compression="snappy", row_group_size=2)

    result = subprocess.run(
        [
            sys.executable,
            "-B",
            "-S",
            "-E",
            "-c",
            READER,
            str(parquet),
            str(shared),
            str(REPO_ROOT),
            str(tmp_path / "b.parquet"),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )

    read = json.loads(result.stdout)
    assert Path(read["pyarrow"]).is_relative_to(parquet)
    assert (read["x"], read["colour"], read["flag"]) == (x, colour, ["true", "false", "true", None])


def test_the_synthesized_layers_lost_tests_scripts_and_unused_pyarrow_parts(tooling):
    outdir, resources = tooling
    shared = asset(outdir, resources[layer_of(resources, "Pinned")]["Properties"]["Content"]) / "python"
    parquet = asset(outdir, resources[layer_of(resources, "pyarrow")]["Properties"]["Content"]) / "python"
    kept = {p.name.split(".")[0] for p in (parquet / "pyarrow").glob("*.cpython-*.so")}

    assert (shared / "numpy" / "_core" / "_multiarray_umath.cpython-314-aarch64-linux-gnu.so").is_file()
    assert not list(shared.rglob("tests")) and not (shared / "bin").exists()
    assert not list(shared.rglob("__pycache__")) and not list(shared.rglob("*.pyi"))
    assert kept == {"lib", "_compute", "_fs", "_parquet", "_csv"}
    assert not list((parquet / "pyarrow").glob("libarrow_s3*")) and not list(parquet.rglob("*flight*.so*"))
    assert (parquet / "pyarrow" / "libarrow_python.so.2600").is_file()
    assert not (parquet / "pyarrow" / "libarrow_python.so").exists()
    assert not list((parquet / "pyarrow").glob("libarrow_python.so.2600.*"))


CAPTURE_PARSER = """
import json, sys
sys.path[:0] = sys.argv[1:]
from mlops_drift import capture_arrow, capture_typed
from mlops_drift.batch import Kind
columns = capture_arrow.arrow_columns("1.5,red\\nNA,blue", 2, [Kind.NUMERIC, Kind.CATEGORICAL])
print(json.dumps({
    "pyarrow": capture_arrow.pa.__file__,
    "msgspec": capture_typed.msgspec.__file__,
    "numbers": [None if v != v else v for v in columns[0].tolist()],
    "colours": columns[1].values().tolist(),
}))
"""
DRIFT_CHECK_HANDLER = "lambdas.drift_check.handler.lambda_handler"


def test_the_drift_check_parses_capture_with_its_code_and_layers(tooling, trimmed_layers, tmp_path):
    # Given: the drift-check function's own bundled code and its layers, trimmed
    outdir, resources = tooling
    (check,) = [
        r["Properties"] for r in resources.values() if r["Properties"].get("Handler") == DRIFT_CHECK_HANDLER
    ]
    layers = [trimmed_layers[ref["Ref"]] for ref in check["Layers"]]
    runtime = local_copy(list(RUNTIME_PROVIDED), tmp_path / "runtime")
    # When: its capture parser's optional fast parts are imported and parse CSV there
    result = subprocess.run(
        [sys.executable, "-B", "-S", "-E", "-c", CAPTURE_PARSER, str(asset(outdir, check["Code"]))]
        + [str(layer) for layer in layers]
        + [str(runtime)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    # Then: msgspec and pyarrow's CSV reader come from its layers, and the columns are typed
    read = json.loads(result.stdout)
    assert any(Path(read["pyarrow"]).is_relative_to(layer) for layer in layers)
    assert any(Path(read["msgspec"]).is_relative_to(layer) for layer in layers)
    assert (read["numbers"], read["colours"]) == ([1.5, None], ["red", "blue"])
