"""Read manifest bytes strictly: UTF-8 only, bounded size and nesting, no duplicate keys, finite numbers.

Python's json module (like pydantic's parser) accepts NaN and Infinity, lets a repeated key silently win and
overflows `1e999` to infinity; each of those lets a manifest mean something other than what its author read.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections import Counter
from typing import Any

from mlops_manifest.problems import Problem

MAX_MANIFEST_BYTES = 1_048_576
# The deepest valid manifest nests 5 levels (monitoring.quality.thresholds.<metric>); 32 leaves room.
MAX_DEPTH = 32
# Integers with more digits than this are not counts or sizes; Python refuses to parse 4300 digits anyway.
MAX_INTEGER_DIGITS = 30
SAVE_AS_UTF8 = "a JSON document saved as UTF-8 without a byte order mark (BOM)"
# Longest marks first: the UTF-32 little-endian BOM starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 little-endian with a byte order mark"),
    (codecs.BOM_UTF32_BE, "UTF-32 big-endian with a byte order mark"),
    (codecs.BOM_UTF8, "UTF-8 with a byte order mark (BOM)"),
    (codecs.BOM_UTF16_LE, "UTF-16 little-endian with a byte order mark"),
    (codecs.BOM_UTF16_BE, "UTF-16 big-endian with a byte order mark"),
)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class _Refused:
    """A JSON number that has no faithful float: NaN, ±Infinity, an overflow or an absurdly long integer."""

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why


class _Object(dict[str, Any]):
    """A JSON object that remembers every pair it was written with, repeated keys included."""

    pairs: list[tuple[str, Any]]
    duplicates: list[str]


def read_json(raw: bytes, size: int | None = None) -> tuple[Any, list[Problem]]:
    """(document, problems): the decoded document, or None and every problem of its encoding, size,
    nesting and values."""
    real = max(len(raw), size or 0)
    if real > MAX_MANIFEST_BYTES:
        found = f"a manifest of {real} bytes ({real / 2**20:.2f} MiB)"
        allowed = f"at most {MAX_MANIFEST_BYTES} bytes ({MAX_MANIFEST_BYTES / 2**20:.2f} MiB)"
        return None, [Problem("$", found, allowed, "too_large")]
    text = _decode(raw)
    if isinstance(text, Problem):
        return None, [text]
    if not text.strip():
        return None, [Problem("$", "an empty file", "a JSON object", "not_json")]
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        found = f"values nested {depth} levels deep"
        allowed = f"at most {MAX_DEPTH} levels of nested objects and arrays"
        return None, [Problem("$", found, allowed, "too_deep")]
    try:
        document = json.loads(
            text, object_pairs_hook=_object, parse_constant=_constant, parse_float=_float, parse_int=_int
        )
    except json.JSONDecodeError as error:
        found = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        return None, [Problem("$", found, "a JSON object", "not_json")]
    problems = _value_problems(document, "")
    return (None, problems) if problems else (document, [])


def _decode(raw: bytes) -> str | Problem:
    """UTF-8 text, or a problem naming the encoding that was found instead."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return Problem("$", f"a file encoded as {name}", SAVE_AS_UTF8, "encoding")
    guessed = _bomless_wide_encoding(raw[:4])
    if guessed:
        return Problem(
            "$", f"a file encoded as {guessed} (NUL bytes between characters)", SAVE_AS_UTF8, "encoding"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        found = f"bytes that are not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
        return Problem("$", found, SAVE_AS_UTF8, "encoding")


def _bomless_wide_encoding(head: bytes) -> str | None:
    """Recognise UTF-16/32 without a BOM by where the NUL bytes of the first ASCII character fall."""
    if len(head) < 4 or b"\0" not in head:
        return None
    nuls = (head[0] == 0, head[1] == 0, head[2] == 0, head[3] == 0)
    return {
        (True, True, True, False): "UTF-32 big-endian",
        (False, True, True, True): "UTF-32 little-endian",
        (True, False, True, False): "UTF-16 big-endian",
        (False, True, False, True): "UTF-16 little-endian",
    }.get(nuls)


def nesting_depth(text: str) -> int:
    """The deepest nesting of objects and arrays, counted without recursion (strings are skipped)."""
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    obj.pairs = pairs
    obj.duplicates = sorted(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
    return obj


def _constant(name: str) -> _Refused:
    return _Refused(name, "JSON has no NaN or Infinity")


def _float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused(text, "too large for a number (overflows to infinity)")


def _int(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        return _Refused(f"{text[:12]}... ({digits} digits)", f"longer than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _value_problems(value: Any, path: str) -> list[Problem]:
    """Duplicate keys and refused numbers anywhere in the document, with their paths."""
    if isinstance(value, _Refused):
        found = f"{value.text}: {value.why}"
        return [Problem(path or "$", found, "a finite number", "non_finite")]
    problems: list[Problem] = []
    if isinstance(value, _Object):
        for key in value.duplicates:
            where = f"{path}.{key}" if path else key
            problems.append(
                Problem(where, f"the key {key!r} more than once", "each key once per object", "duplicate_key")
            )
        for key, item in value.pairs:  # a value a repeated key replaced is still checked
            problems += _value_problems(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += _value_problems(item, f"{path}[{index}]")
    return problems
