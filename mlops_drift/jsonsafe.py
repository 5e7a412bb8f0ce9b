"""JSON documents without NaN or Infinity: non-finite floats become null, everywhere."""

from __future__ import annotations

import math
from typing import Any


def finite(value: Any) -> Any:
    """A copy of a JSON-ready value in which every non-finite float is None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value
