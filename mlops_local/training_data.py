"""Local training data: CSV channels read as SageMaker hands them to a job (a folder per channel)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlops_training.run_inputs import prefix_digest


class TrainingDataError(ValueError):
    """A local channel or held-out file cannot be used, with the reason in words."""


@dataclass(frozen=True)
class Table:
    """Feature columns and the target of a CSV dataset."""

    feature_names: tuple[str, ...]
    x: np.ndarray[Any, np.dtype[np.float64]]
    y: np.ndarray[Any, np.dtype[Any]]


def channel_files(path: Path) -> list[Path]:
    """The CSV files of a channel: the file itself, or every *.csv in the folder (name order)."""
    if path.is_file():
        return [path]
    files = sorted(path.glob("*.csv")) if path.is_dir() else []
    if not files:
        raise TrainingDataError(f"no CSV files in {path}: a channel is a .csv file or a folder of them")
    return files


def channel_digest(path: Path) -> str:
    """The channel's digest from its files' names, sizes and content digests (as a prefix listing)."""
    files = channel_files(path)
    digests = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    return prefix_digest((f.name, f.stat().st_size, d) for f, d in zip(files, digests, strict=True))


def read_table(path: Path, target: str) -> Table:
    """Read every CSV of a channel (header row, numeric features, `target` column)."""
    header: list[str] | None = None
    rows: list[list[str]] = []
    for file in channel_files(path):
        with file.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            head = next(reader, None)
            if head is None or (header is not None and head != header):
                raise TrainingDataError(f"{file}: every file of a channel needs the same header row")
            header = head
            rows += [row for row in reader if row]
    assert header is not None  # channel_files returned at least one file
    if target not in header:
        raise TrainingDataError(f"{path}: no target column {target!r} in the header ({', '.join(header)})")
    if not rows:
        raise TrainingDataError(f"{path}: no data rows under the header")
    return _table(path, header, rows, header.index(target))


def _table(path: Path, header: list[str], rows: list[list[str]], target: int) -> Table:
    """Split the target off and parse the features as numbers."""
    features = [name for i, name in enumerate(header) if i != target]
    short = next((n for n, row in enumerate(rows, start=2) if len(row) != len(header)), None)
    if short is not None:
        raise TrainingDataError(f"{path}: row {short} does not have the {len(header)} values of the header")
    try:
        x = np.array([[float(v) for i, v in enumerate(row) if i != target] for row in rows], dtype=np.float64)
    except ValueError as error:
        raise TrainingDataError(f"{path}: local training needs numeric features ({error})") from None
    return Table(tuple(features), x, np.array([row[target] for row in rows]))
