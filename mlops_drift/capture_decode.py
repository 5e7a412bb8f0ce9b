"""Decode a block of capture lines: typed into the common shape's fields where it can, else line by line.

Whole blocks are decoded by one call: msgspec into just the fields the column-wise path reads
(mlops_drift.capture_typed), else orjson into dictionaries (about twice as fast as json). Where either is
missing (the Processing job's container) json serves, and json decides every line a faster decoder refuses,
so results do not depend on which decoders are installed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from mlops_drift.capture_payload import Fields, PayloadError, json_array

# Whole blocks of lines are decoded by orjson (about twice as fast) where it is installed; json is the
# fallback (the Processing job's container) and decides every line that fails, so results are the same.
_fast_loads: Callable[[str | bytes], Any]
try:
    import orjson

    _fast_loads = orjson.loads
except ImportError:
    _fast_loads = json.loads
# Blocks in SageMaker's common shape: decoded typed, into the fields they need (mlops_drift.capture_typed).
# False: the generic decoders only, as where msgspec is missing (tests and the bench's --generic set it).
USE_TYPED = True
# Bytes of a whole file decoded per typed call: a piece's decoded lines are freed before the next is decoded,
# so the same memory, still in the CPU's caches, serves every piece (fresh pages and cache misses cost more
# than decoding: 256 KiB pieces parse a 100 MB file about a third faster than 4 MiB ones; 64 KiB no faster).
FILE_BLOCK = 256 << 10


@cache
def _typed() -> ModuleType | None:
    """The typed decoder, imported on first use (functions that never parse capture skip msgspec's import);
    None where msgspec is missing."""
    try:
        from mlops_drift import capture_typed
    except ImportError:
        return None
    return capture_typed


def capture_lines(data: bytes) -> list[bytes]:
    """A capture file's lines: split on \\n only (JSON Lines), a final empty piece dropped."""
    lines = data.split(b"\n")
    return lines[:-1] if lines and not lines[-1] else lines


def line_count(data: bytes) -> int:
    """How many lines capture_lines finds in the file, without splitting it (numpy counts bytes about ten
    times as fast as bytes.count)."""
    newlines = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")))
    return newlines + (1 if data and not data.endswith(b"\n") else 0)


def line_pieces(data: bytes, size: int) -> Iterator[tuple[memoryview, int]]:
    """Consecutive pieces of the file of about `size` bytes, each ending at a line end (the last at the file's
    end), with the number of lines capture_lines finds in each."""
    view, start = memoryview(data), 0
    while start < len(data):
        end = data.find(b"\n", start + size) + 1 or len(data)
        piece = view[start:end]
        # numpy counts bytes about ten times as fast as bytes.count
        newlines = int(np.count_nonzero(np.frombuffer(piece, dtype=np.uint8) == 0x0A))
        yield piece, newlines + (data[end - 1] != 0x0A)
        start = end


def typed_file_pieces(data: bytes) -> Iterator[tuple[int, Fields | None]]:
    """Per piece of a whole file (FILE_BLOCK bytes), its line count and its fields by the typed decoder; one
    (lines, None) for a file the typed decoder cannot take (no msgspec, or a carriage return, where msgspec
    would end a line that capture lines keep whole)."""
    typed = _typed() if USE_TYPED else None
    if typed is None or b"\r" in data:
        yield line_count(data), None
        return
    for piece, lines in line_pieces(data, FILE_BLOCK):
        yield lines, typed.file_fields(piece, lines)


def _decode_all(lines: list[str | bytes]) -> list[Any] | None:
    """Every line JSON-decoded by one call, or None when any line is blank or not JSON (to orjson)."""
    try:
        events = _fast_loads(json_array(lines))
    except ValueError:
        return None
    return events if isinstance(events, list) and len(events) == len(lines) else None


def decode_block(first: int, block: list[str | bytes]) -> list[tuple[int, Any]]:
    """(line number, decoded event, or the PayloadError saying why not) per non-blank line of a block."""
    events = _decode_all(block)
    if events is not None:
        return list(enumerate(events, start=first))
    numbered = [(number, line) for number, line in enumerate(block, start=first) if line.strip()]
    events = _decode_all([line for _, line in numbered])
    if events is not None:
        return [(number, event) for (number, _), event in zip(numbered, events, strict=True)]
    parsed: list[tuple[int, Any]] = []
    for number, line in numbered:
        try:
            parsed.append((number, json.loads(line)))
        except RecursionError:
            parsed.append((number, PayloadError("line nested too deeply")))
        except ValueError as exc:
            parsed.append((number, PayloadError(f"invalid JSON ({exc.__class__.__name__})")))
    return parsed


def typed_fields(block: list[str | bytes]) -> Fields | None:
    """The block's fields by the typed decoder, or None (no msgspec, or a line not in the common shape)."""
    typed = _typed() if USE_TYPED else None
    if typed is None:
        return None
    try:
        fields: Fields | None = typed.common_fields(json_array(block), len(block))
    except UnicodeDecodeError:
        return None  # a line that is not UTF-8: the generic path reports it
    return fields
