"""Reading a manifest document as the register function does: its JSON bytes through validate_manifest."""

from __future__ import annotations

import json
from typing import Any

from mlops_manifest import Manifest, Problem, validate_manifest


def check(doc: Any) -> Manifest | list[Problem]:
    """The manifest, or every problem found, for a document uploaded as JSON."""
    return validate_manifest(json.dumps(doc).encode())


def problems(doc: Any) -> list[Problem]:
    """The problems of a document that must be refused; fails the test when it is valid."""
    result = check(doc)
    assert isinstance(result, list), "expected problems, got a valid manifest"
    return result


def problems_of(doc: Any) -> set[tuple[str, str]]:
    """(path, code) of every problem of a document that must be refused."""
    return {(p.path, p.code) for p in problems(doc)}
