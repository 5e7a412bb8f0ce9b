"""The layer cache: keyed on everything that decides a layer's content, built once, linked into cdk.out."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_constructs import layer_cache
from mlops_constructs.local_bundling import layer_hash


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A requirements file, a trimming module and a wheels folder, all outside the repository."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("pyarrow==26.0.1\n")
    trim = tmp_path / "trim.py"
    trim.write_text("KEEP = ()\n")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / "pyarrow-26.0.1-cp314-cp314-manylinux_2_28_aarch64.whl").touch()
    return requirements, trim, wheels


def test_the_key_is_stable_for_the_same_inputs(inputs: tuple[Path, Path, Path]) -> None:
    requirements, trim, wheels = inputs
    assert layer_hash(requirements, trim, wheels_dir=wheels) == layer_hash(
        requirements, trim, wheels_dir=wheels
    )


def test_a_requirements_change_changes_the_key(inputs: tuple[Path, Path, Path]) -> None:
    requirements, trim, wheels = inputs
    before = layer_hash(requirements, trim, wheels_dir=wheels)
    requirements.write_text("pyarrow==26.0.2\n")
    assert layer_hash(requirements, trim, wheels_dir=wheels) != before


def test_a_trim_code_change_changes_the_key(inputs: tuple[Path, Path, Path]) -> None:
    requirements, trim, wheels = inputs
    before = layer_hash(requirements, trim, wheels_dir=wheels)
    trim.write_text("KEEP = ('include',)\n")
    assert layer_hash(requirements, trim, wheels_dir=wheels) != before


def test_a_different_wheel_set_changes_the_key(inputs: tuple[Path, Path, Path]) -> None:
    requirements, trim, wheels = inputs
    before = layer_hash(requirements, trim, wheels_dir=wheels)
    (wheels / "typing_extensions-4.17.0-py3-none-any.whl").touch()  # e.g. an unpinned dependency moved on
    assert layer_hash(requirements, trim, wheels_dir=wheels) != before


def fake_build(calls: list[Path]):
    def build(folder: Path) -> None:
        calls.append(folder)
        (folder / "python" / "pkg").mkdir(parents=True)
        (folder / "python" / "pkg" / "__init__.py").write_text("VERSION = 1\n")

    return build


def test_a_miss_builds_once_and_a_fresh_output_dir_reuses_the_build(tmp_path: Path) -> None:
    calls: list[Path] = []
    cache, first, second = tmp_path / "cache", tmp_path / "out1", tmp_path / "out2"

    hits = [layer_cache.materialize("deps", "abc", out, fake_build(calls), cache) for out in (first, second)]

    assert hits == [False, True] and len(calls) == 1
    for out in (first, second):
        assert (out / "python" / "pkg" / "__init__.py").read_text() == "VERSION = 1\n"
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_a_failed_build_leaves_no_entry_behind(tmp_path: Path) -> None:
    def broken(folder: Path) -> None:
        (folder / "half").write_text("x")
        raise RuntimeError("pip failed")

    with pytest.raises(RuntimeError):
        layer_cache.materialize("deps", "abc", tmp_path / "out", broken, tmp_path / "cache")

    assert list((tmp_path / "cache").iterdir()) == []


def test_a_new_key_replaces_the_layers_old_build_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for layer, key in (("requirements", "old"), ("requirements-parquet", "old"), ("requirements", "new")):
        layer_cache.materialize(layer, key, tmp_path / f"{layer}-{key}", fake_build([]), cache)

    assert sorted(p.name for p in cache.iterdir()) == ["requirements-parquet.old", "requirements.new"]
