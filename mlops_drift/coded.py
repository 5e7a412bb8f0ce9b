"""Categorical columns kept as codes into their categories, spelled out as object arrays only when read.

pyarrow's CSV reader hands out categorical columns dictionary-encoded (mlops_drift.capture_arrow). Profiling
needs only how often each category occurs, which the codes give in one vectorised count; building an object
array of one Python reference per record (and freeing it again) cost the capture parser about a tenth of its
time. FeatureBatch.categorical still maps every name to an object array: a coded column becomes one the
first time it is read that way, and profile.py asks for the codes first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mlops_drift.batch import ObjectArray


@dataclass(frozen=True)
class CodedColumn:
    """A categorical column as codes into its categories (normal text or None, in order of first appearance;
    a category may appear more than once)."""

    codes: npt.NDArray[np.integer[Any]]
    categories: ObjectArray

    def __len__(self) -> int:
        """How many records the column holds."""
        return len(self.codes)

    def values(self) -> ObjectArray:
        """The column as an object array of category text (None where missing)."""
        spelled: ObjectArray = self.categories[self.codes]
        return spelled

    def counts(self) -> Counter[Any]:
        """Records per category, as Counter(values().tolist()) gives them (same order), without the array."""
        per_code = np.bincount(self.codes, minlength=len(self.categories)).tolist()
        counter: Counter[Any] = Counter()
        for category, count in zip(self.categories.tolist(), per_code, strict=True):
            if count:  # a category of no record is no key, as in a Counter of the values
                counter[category] += count
        return counter


class CategoricalColumns(Mapping[str, ObjectArray]):
    """Categorical columns by name, some kept coded: those are spelled out (once) when read as arrays."""

    def __init__(self, columns: Mapping[str, ObjectArray | CodedColumn]) -> None:
        self._columns = dict(columns)
        self._spelled: dict[str, ObjectArray] = {}

    def __getitem__(self, name: str) -> ObjectArray:
        """The column as an object array."""
        column = self._columns[name]
        if not isinstance(column, CodedColumn):
            return column
        if name not in self._spelled:
            self._spelled[name] = column.values()
        return self._spelled[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def coded(self, name: str) -> CodedColumn | None:
        """The column's codes when it is kept coded, else None."""
        column = self._columns.get(name)
        return column if isinstance(column, CodedColumn) else None


def coded_column(columns: Mapping[str, ObjectArray], name: str) -> CodedColumn | None:
    """A batch's categorical column as codes where it keeps them (see CategoricalColumns), else None."""
    return columns.coded(name) if isinstance(columns, CategoricalColumns) else None
