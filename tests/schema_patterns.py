"""Reading JSON Schema documents in tests."""

from __future__ import annotations

from typing import Any


def patterns(node: Any) -> set[str]:
    """Every `pattern` in a JSON Schema document."""
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(patterns(item) for item in node))
    return set()
