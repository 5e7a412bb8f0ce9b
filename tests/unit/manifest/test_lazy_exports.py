"""The package's names load on first use, so the register function's cold start skips pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mlops_manifest

ROOT = Path(__file__).resolve().parents[3]


def _loaded_after(statement: str, module: str) -> bool:
    """Whether `module` is imported after running `statement` in a fresh interpreter."""
    probe = f"import sys\n{statement}\nprint({module!r} in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip() == "True"


def test_register_service_imports_without_pydantic() -> None:
    # Given the register function's domain modules, When imported, Then no manifest model is built yet.
    assert not _loaded_after("import lambdas.register.service", "pydantic")


@pytest.mark.parametrize("name", mlops_manifest.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(mlops_manifest, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = mlops_manifest.no_such_name


def test_exports_list_every_lazily_loaded_name() -> None:
    assert sorted(mlops_manifest.__all__) == sorted(mlops_manifest._HOMES)
