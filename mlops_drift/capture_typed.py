"""Typed decoding of a block of capture lines in SageMaker's common shape, straight into column-wise fields.

msgspec decodes only the fields the column-wise path reads, into structs, which is about twice as fast as
decoding every line into dictionaries. A block in which any line has another shape (a missing or mistyped
field, a blank or broken line, a string that cannot be UTF-8, nesting too deep) returns None and is decoded
generically by capture.py, which decides every such line; so results are the same either way. msgspec, like
Python's json, keeps the last of duplicate keys. Importing this module needs msgspec: capture.py falls back
to the generic decoder where it is missing (the Processing job's container).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, Literal

import msgspec

from mlops_drift.capture_payload import Fields


# Only the encodings the column-wise path takes (capture_bulk): a line with any other fails the typed decode
# and its block takes the generic path, as it would after bulk_chunk's refusal. Literals decode to one shared
# str object each, not a new string per line.
class _Input(msgspec.Struct, gc=False):
    data: str
    encoding: Literal["CSV", "BASE64"]
    observedContentType: str = ""  # noqa: N815 - SageMaker's field name


# CSV inputs only: their content type is never read, so it is not decoded (one string less per line).
class _CsvInput(msgspec.Struct, gc=False):
    data: str
    encoding: Literal["CSV"]


# BASE64 inputs only: msgspec decodes the BASE64 text to bytes itself, in one C pass per value, and never
# more leniently than the per-line path's b64decode(validate=True) (a test compares them); text it refuses
# fails this decoder, and the mixed one below hands it to capture_bulk's check.
class _Base64Input(msgspec.Struct, gc=False):
    data: bytes
    encoding: Literal["BASE64"]
    observedContentType: str = ""  # noqa: N815


class _Output(msgspec.Struct, gc=False):
    data: str
    encoding: Literal["CSV"]


class _Capture(msgspec.Struct, gc=False):
    endpointInput: _Input  # noqa: N815
    endpointOutput: _Output  # noqa: N815


class _CsvCapture(msgspec.Struct, gc=False):
    endpointInput: _CsvInput  # noqa: N815
    endpointOutput: _Output  # noqa: N815


class _Base64Capture(msgspec.Struct, gc=False):
    endpointInput: _Base64Input  # noqa: N815
    endpointOutput: _Output  # noqa: N815


class _Metadata(msgspec.Struct, gc=False):
    eventId: str | None = None  # noqa: N815
    inferenceId: str | None = None  # noqa: N815
    inferenceTime: str | None = None  # noqa: N815


class _Line(msgspec.Struct, gc=False):
    captureData: _Capture  # noqa: N815
    eventMetadata: _Metadata  # noqa: N815


class _CsvLine(msgspec.Struct, gc=False):
    captureData: _CsvCapture  # noqa: N815
    eventMetadata: _Metadata  # noqa: N815


class _Base64Line(msgspec.Struct, gc=False):
    captureData: _Base64Capture  # noqa: N815
    eventMetadata: _Metadata  # noqa: N815


_AnyLine = _Line | _CsvLine | _Base64Line
_DECODER = msgspec.json.Decoder(list[_Line])
# A file's pieces: CSV inputs first (the common case), then BASE64 ones, then a mix of the two.
_LINE_DECODERS = (
    msgspec.json.Decoder(_CsvLine),
    msgspec.json.Decoder(_Base64Line),
    msgspec.json.Decoder(_Line),
)


def common_fields(json_array: str | bytes, count: int) -> Fields | None:
    """The fields of `count` lines given as one JSON array; None when any line is not in the common shape."""
    try:
        lines = _DECODER.decode(json_array)
    except (msgspec.MsgspecError, RecursionError):
        return None
    return _fields(lines) if len(lines) == count else None


def file_fields(data: bytes | memoryview, count: int) -> Fields | None:
    """The fields of a piece of a capture file holding `count` "\\n"-separated lines and no carriage return
    (msgspec also ends a line there), decoded without splitting it; None when any line is not in the common
    shape, or is blank (msgspec passes over blank lines)."""
    for decoder in _LINE_DECODERS:
        try:
            lines = decoder.decode_lines(data)
        except (msgspec.MsgspecError, RecursionError):
            continue
        return _fields(lines) if len(lines) == count else None
    return None


def _fields(lines: Sequence[_AnyLine]) -> Fields | None:
    """The column-wise fields of decoded lines; None when a line has no id at all."""
    metas = _values(lines, "eventMetadata")
    # The generic path's rule: the inference id when it is set, else the event id.
    ids = _values(metas, "inferenceId")
    if None in ids or "" in ids:
        ids = [meta.inferenceId or meta.eventId for meta in metas]
    if None in ids:
        return None  # no id at all: the per-line path reports the line
    inputs = _values(lines, "captureData.endpointInput")
    csv_only = bool(lines) and isinstance(lines[0], _CsvLine)
    return {
        "in_data": _values(inputs, "data"),  # bytes where every input was BASE64: decoded already
        "in_enc": ["CSV"] * len(lines) if csv_only else _values(inputs, "encoding"),
        # Read only where an input is BASE64 (capture_bulk), so not decoded where every input is CSV.
        "in_type": [] if csv_only else _values(inputs, "observedContentType"),
        "out_data": _values(lines, "captureData.endpointOutput.data"),
        "out_enc": ["CSV"] * len(lines),  # the only output encoding _Output decodes
        "ids": ids,
        "times": _values(metas, "inferenceTime"),
    }


def _values(items: Sequence[Any], path: str) -> list[Any]:
    """One attribute (dotted path) of every item (map with attrgetter: about twice a list display's speed)."""
    return list(map(attrgetter(path), items))
