"""Held-out data: the labels the metric needs and the features the batch transform scores."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from lambdas.training_run.errors import TrainingRunError
from mlops_training.evaluation import Evaluation


@dataclass(frozen=True)
class HeldOut:
    """The held-out rows split into the target column (labels) and the other columns (features CSV)."""

    labels: tuple[str, ...]
    features_csv: bytes


def split_held_out(raw: bytes, evaluation: Evaluation, target: str, uri: str) -> HeldOut:
    """Split the held-out CSV; with no header row the target is the first column (built-in convention)."""
    try:
        rows = [row for row in csv.reader(io.StringIO(raw.decode("utf-8"))) if row]
    except (UnicodeDecodeError, csv.Error) as error:
        raise TrainingRunError(f"held-out data {uri} is not UTF-8 CSV ({error})") from None
    if evaluation.header_row:
        if not rows or target not in rows[0]:
            header = ", ".join(rows[0]) if rows else "(empty file)"
            raise TrainingRunError(
                f"held-out data {uri}: no target column {target!r} in the header ({header})"
            )
        index, header_row, rows = rows[0].index(target), rows[0], rows[1:]
    else:
        index, header_row = 0, rows[0] if rows else []
    if not rows:
        raise TrainingRunError(f"held-out data {uri}: no data rows to evaluate on")
    width = len(header_row)
    ragged = next((n for n, row in enumerate(rows, start=2) if len(row) != width), None)
    if ragged is not None:
        raise TrainingRunError(f"held-out data {uri}: row {ragged} does not have {width} values")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [v for i, v in enumerate(row) if i != index] for row in rows
    )
    return HeldOut(tuple(row[index] for row in rows), out.getvalue().encode())
