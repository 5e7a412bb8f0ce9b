"""Guards on decoded capture values: nesting, numbers beyond float range, flat text for nested cells."""

from __future__ import annotations

import json
import sys
from typing import Any

from mlops_drift.capture_payload import PayloadError, Record

# An int above this has no float64 value: float() of it raises OverflowError.
FLOAT_MAX_INT = int(sys.float_info.max)
_PLAIN = (float, str, bool, type(None))


def flat_text(value: Any) -> str:
    """A nested JSON value (list or object) as compact JSON text; PayloadError when it cannot be written."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (RecursionError, ValueError, TypeError) as exc:
        raise PayloadError(reason(exc)) from None


def clean_cell(value: Any) -> Any:
    """One record cell: scalars as they are, nested values as flat text; huge integers rejected."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, int):
        if -FLOAT_MAX_INT <= value <= FLOAT_MAX_INT:
            return value
        raise PayloadError("number beyond float range")
    return flat_text(value)


def clean_record(record: Record) -> Record:
    """A record whose every cell is a scalar (see clean_cell)."""
    if isinstance(record, dict):
        return {str(key): clean_cell(value) for key, value in record.items()}
    return [clean_cell(value) for value in record]


def reason(exc: BaseException) -> str:
    """Short, data-free description of why a value or line could not be used."""
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, PayloadError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, OverflowError):
        return "number beyond float range"
    return f"invalid line ({exc.__class__.__name__})"
