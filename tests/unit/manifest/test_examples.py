"""Every example manifest is valid, and together they cover every inference type."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_manifest import Manifest, validate_manifest

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_valid(path: Path) -> None:
    result = validate_manifest(path.read_bytes())

    assert isinstance(result, Manifest), result
    assert str(result.inference.type) == path.stem


def test_examples_cover_every_inference_type() -> None:
    assert {p.stem for p in EXAMPLES} == {"realtime", "serverless", "async", "batch"}
