"""Baseline profiles: from a CSV dataset, or imported from a Model Monitor statistics/constraints pair."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from mlops_drift.batch import FeatureBatch, Kind, build_batch
from mlops_drift.model_monitor import from_model_monitor
from mlops_drift.profile import DatasetProfile, profile
from mlops_drift.spec import DEFAULT_BINS, DEFAULT_MAX_CATEGORIES, derive_spec

__all__ = ["from_model_monitor", "profile_csv", "read_csv_batch"]


def _rows(source: str | Path | TextIO) -> list[list[str]]:
    """All CSV rows of a path or an open text stream."""
    if isinstance(source, str | Path):
        with Path(source).open(newline="", encoding="utf-8") as handle:
            return [row for row in csv.reader(handle) if row]
    return [row for row in csv.reader(source) if row]


def _names(rows: list[list[str]], header: bool, feature_names: Sequence[str] | None) -> list[str]:
    """Column names from the header row, the given names, or c0..cN."""
    if feature_names is not None:
        return list(feature_names)
    if header and rows:
        return [name.strip() for name in rows[0]]
    return [f"c{i}" for i in range(len(rows[0]) if rows else 0)]


def read_csv_batch(
    source: str | Path | TextIO,
    *,
    header: bool = True,
    feature_names: Sequence[str] | None = None,
    kinds: Mapping[str, Kind] | None = None,
    exclude: Iterable[str] = (),
) -> FeatureBatch:
    """Read a CSV dataset into a feature batch; excluded columns (e.g. the target) are dropped."""
    rows = _rows(source)
    names = _names(rows, header, feature_names)
    body = rows[1:] if header else rows
    widths = {len(r) for r in body}
    if widths - {len(names)}:
        raise ValueError(f"CSV rows have {sorted(widths)} columns, expected {len(names)} ({names})")
    skip = set(exclude)
    columns = dict(zip(names, zip(*body, strict=True), strict=True)) if body else dict.fromkeys(names, ())
    return build_batch({k: v for k, v in columns.items() if k not in skip}, kinds)


def profile_csv(
    source: str | Path | TextIO,
    *,
    header: bool = True,
    feature_names: Sequence[str] | None = None,
    kinds: Mapping[str, Kind] | None = None,
    target: str | None = None,
    n_bins: int = DEFAULT_BINS,
    max_categories: int = DEFAULT_MAX_CATEGORIES,
) -> DatasetProfile:
    """Profile a baseline CSV: derive fixed edges and tracked categories, then profile on them."""
    batch = read_csv_batch(
        source, header=header, feature_names=feature_names, kinds=kinds, exclude=(target,) if target else ()
    )
    return profile(batch, derive_spec(batch, n_bins, max_categories))
