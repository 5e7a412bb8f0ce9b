"""Checks an endpoint's response against the manifest's expected shape; returns the mismatches."""

from __future__ import annotations

import json
from typing import Any

from mlops_manifest.monitoring import ExpectedResponse, ResponseKind

_JSON_TYPES = {ResponseKind.JSON_OBJECT: dict, ResponseKind.JSON_ARRAY: list}


def shape_problems(body: bytes, expected: ExpectedResponse) -> list[str]:
    """Every way the response body differs from the expectation (empty: the shape is right)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return ["the response is not UTF-8 text"]
    if expected.kind is ResponseKind.TEXT:
        return [] if text.strip() else ["the response is empty, expected text"]
    if expected.kind is ResponseKind.NUMBER:
        return _number_problems(text)
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return [f"the response is not JSON, expected a JSON {_noun(expected.kind)}"]
    return _json_problems(document, expected)


def _number_problems(text: str) -> list[str]:
    """A single number, as JSON or as a bare CSV value."""
    try:
        float(text.strip())
    except ValueError:
        return [f"the response is not a single number: {text[:80]!r}"]
    return []


def _json_problems(document: Any, expected: ExpectedResponse) -> list[str]:
    wanted = _JSON_TYPES[expected.kind]
    if not isinstance(document, wanted):
        return [f"the response is a JSON {type(document).__name__}, expected a JSON {_noun(expected.kind)}"]
    problems: list[str] = []
    if isinstance(document, dict):
        missing = [key for key in expected.keys if key not in document]
        if missing:
            problems.append(f"the response object lacks the keys {missing}")
    if isinstance(document, list) and expected.length is not None and len(document) != expected.length:
        problems.append(f"the response array has {len(document)} items, expected {expected.length}")
    return problems


def _noun(kind: ResponseKind) -> str:
    return "object" if kind is ResponseKind.JSON_OBJECT else "array"
