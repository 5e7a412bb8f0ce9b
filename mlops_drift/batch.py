"""Columnar feature batches and the conversion of raw cell values into typed columns."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

# A column is "numeric" at inference time when at least this share of its present values parse as numbers.
NUMERIC_INFERENCE_SHARE = 0.9
MISSING_TOKENS = frozenset({"", "na", "nan", "null", "none", "n/a"})
BOOLEAN_TEXT = frozenset({"true", "false"})
# Leading cells of a column that decide its kind when the spec does not give it.
INFER_SAMPLE = 2000


class Kind(StrEnum):
    """The two feature kinds the engine profiles."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"


@dataclass(frozen=True)
class FeatureBatch:
    """Typed columns for a set of records: float64 (NaN = missing) or object arrays of str/None."""

    n_rows: int
    numeric: Mapping[str, FloatArray] = field(default_factory=dict)
    categorical: Mapping[str, ObjectArray] = field(default_factory=dict)
    type_mismatches: Mapping[str, int] = field(default_factory=dict)
    order: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Feature names in source column order (numeric first when no order was recorded)."""
        return self.order or (*self.numeric, *self.categorical)


def _is_missing(value: object) -> bool:
    """True for None, NaN and the usual textual missing markers."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


def _to_float(value: object) -> float | None:
    """Parse one cell as a finite float; None when it is not a number."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _float_array(values: Sequence[object]) -> FloatArray | None:
    """numpy's own conversion (numbers, numeric strings, None -> NaN); None when any cell is not numeric."""
    try:
        array = np.array(values, dtype=np.float64)
    except (ValueError, TypeError):
        return None
    if array.ndim != 1:
        return None
    array[~np.isfinite(array)] = np.nan
    return array


def numeric_column(values: Sequence[object]) -> tuple[FloatArray, int]:
    """Convert cells to float64 (NaN for missing) and count present cells that are not numbers."""
    array = _float_array(values)
    if array is not None:
        return array, 0
    # Empty strings are the usual missing marker in CSV; blank them and retry the fast conversion.
    cells = np.fromiter(values, dtype=object, count=len(values))
    cells[cells == ""] = None
    array = _float_array(cells.tolist())
    if array is not None:
        return array, 0
    out = np.empty(len(values), dtype=np.float64)
    mismatches = 0
    for i, value in enumerate(values):
        number = _to_float(value)
        out[i] = np.nan if number is None else number
        # An infinite number is NaN here as in the whole-column conversions above, not a type mismatch.
        mismatches += number is None and not _is_missing(value) and not _non_finite(value)
    return out, mismatches


def _non_finite(value: object) -> bool:
    """True for a number (or number text) that is infinite or NaN."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return isinstance(value, float) and not math.isfinite(value)


def _number_text(number: float) -> str:
    """A finite float as category text: integer-valued as an integer, else its shortest repr.

    An integer-valued float is written as the integer its shortest repr denotes (1e+30 -> 1 and 30 zeros),
    which is what its writer wrote, not the float's binary value (1000000000000000019884624838656): so a
    float and the JSON integer literal with the same digits are one category.
    """
    return str(int(Decimal(repr(number)))) if number.is_integer() else repr(number)


def _text_category(text: str) -> str:
    """A text cell: booleans lower-cased, numbers as a JSON parser would read them, anything else stripped.

    An integer literal is exact, as a JSON integer is (ids beyond 2**53 keep every digit); a number with a
    fraction or an exponent goes through a float, as a JSON number with one does.
    """
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in BOOLEAN_TEXT:
        return lowered
    if "_" in stripped:  # int() and float() accept "1_000"; a category code with underscores stays text
        return stripped
    try:
        return str(int(stripped))
    except ValueError:  # not an integer literal (or longer than int() converts)
        pass
    try:
        number = float(stripped)
    except ValueError:
        return stripped
    return _number_text(number) if math.isfinite(number) else stripped


def normal_category(value: object) -> str | None:
    """One cell as its normal category text (see docs/drift.md), or None when missing."""
    if _is_missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _text_category(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value) if math.isfinite(value) else repr(value)
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (RecursionError, ValueError, TypeError):
        return type(value).__name__


def categorical_column(values: Sequence[object]) -> ObjectArray:
    """Convert cells to an object array of str, with None for missing cells."""
    if bool in set(map(type, values)):  # True == 1 == 1.0 as dict keys: convert cell by cell
        converted = [normal_category(value) for value in values]
        return np.fromiter(converted, dtype=object, count=len(converted))
    try:
        # Few distinct values in a categorical column: convert each distinct value once.
        mapping = {value: normal_category(value) for value in set(values)}
        converted = list(map(mapping.__getitem__, values))
    except TypeError:  # unhashable cells (e.g. nested JSON)
        converted = [normal_category(value) for value in values]
    return np.fromiter(converted, dtype=object, count=len(converted))


def infer_kind(values: Sequence[object], sample: int = INFER_SAMPLE) -> Kind:
    """Numeric when enough present cells (of the first `sample`) parse as finite numbers."""
    head = values[:sample]
    if _float_array(head) is not None:
        return Kind.NUMERIC
    present = [v for v in head if not _is_missing(v)]
    if not present:
        return Kind.NUMERIC
    numbers = sum(1 for v in present if not isinstance(v, bool) and _to_float(v) is not None)
    return Kind.NUMERIC if numbers >= NUMERIC_INFERENCE_SHARE * len(present) else Kind.CATEGORICAL


def build_batch(
    columns: Mapping[str, Sequence[object]], kinds: Mapping[str, Kind] | None = None
) -> FeatureBatch:
    """Build a batch from raw columns; kinds not given are inferred from the values."""
    lengths = {len(col) for col in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    numeric: dict[str, FloatArray] = {}
    categorical: dict[str, ObjectArray] = {}
    mismatches: dict[str, int] = {}
    for name, values in columns.items():
        kind = (kinds or {}).get(name) or infer_kind(values)
        if kind is Kind.NUMERIC:
            numeric[name], mismatches[name] = numeric_column(values)
        else:
            categorical[name] = categorical_column(values)
    n_rows = lengths.pop() if lengths else 0
    return FeatureBatch(n_rows, numeric, categorical, mismatches, tuple(columns))


def batch_from_arrays(
    numeric: Mapping[str, npt.ArrayLike] | None = None,
    categorical: Mapping[str, Sequence[str | None]] | None = None,
) -> FeatureBatch:
    """Build a batch from already-typed arrays (benchmarks, tests, in-memory callers)."""
    nums = {k: np.asarray(v, dtype=np.float64) for k, v in (numeric or {}).items()}
    cats = {k: np.asarray(v, dtype=object) for k, v in (categorical or {}).items()}
    lengths = {len(a) for a in (*nums.values(), *cats.values())}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    return FeatureBatch(lengths.pop() if lengths else 0, nums, cats, dict.fromkeys(nums, 0))
