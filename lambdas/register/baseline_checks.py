"""Checks of a baseline's content against the manifest: columns, target, row count, numeric features."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

import numpy as np

from mlops_drift.batch import FeatureBatch, Kind
from mlops_drift.profile import DatasetProfile
from mlops_drift.thresholds import Thresholds
from mlops_manifest import Problem
from mlops_manifest.monitoring import FeatureType, Monitoring

# The drift check reports "insufficient data" below this many records, so a smaller baseline is useless.
MIN_ROWS = Thresholds().min_records
MAX_LISTED_NAMES = 100
KINDS = {FeatureType.NUMERIC: Kind.NUMERIC, FeatureType.CATEGORICAL: Kind.CATEGORICAL}
KINDS[FeatureType.BOOLEAN] = Kind.CATEGORICAL  # text features are not profiled for drift


def listing(names: Sequence[str], *, quote: bool = True) -> str:
    """Names as a readable list, at most MAX_LISTED_NAMES of them."""
    shown = ", ".join(repr(n) if quote else n for n in names[:MAX_LISTED_NAMES])
    more = len(names) - MAX_LISTED_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


def declared_kinds(mon: Monitoring) -> dict[str, Kind]:
    """Declared features mapped to profile kinds; text features are left out."""
    return {f.name: KINDS[f.type] for f in mon.features or () if f.type in KINDS}


def profiled(name: str, mon: Monitoring, kinds: dict[str, Kind]) -> bool:
    """Whether a baseline column is profiled: not the target, and declared (non-text) when features are."""
    if name == mon.target_column:
        return False
    return mon.features is None or name in kinds


def column_problems(names: Collection[str], mon: Monitoring, where: str) -> list[Problem]:
    """Declared features missing from the baseline, undeclared columns in it, and an absent target."""
    problems: list[Problem] = []
    if mon.features is not None:
        declared = [f.name for f in mon.features]
        if missing := [n for n in declared if n not in names]:
            found = f"missing from the {where}: {listing(missing)}"
            allowed = f"every declared feature in the {where}"
            problems.append(Problem("monitoring.features", found, allowed, "baseline_columns_missing"))
        if extra := sorted(n for n in names if n not in declared and n != mon.target_column):
            found = f"undeclared columns in the {where}: {listing(extra)}"
            allowed = f"only declared features and the target column in the {where}"
            problems.append(Problem("monitoring.features", found, allowed, "baseline_columns_extra"))
    if mon.target_column is not None and mon.target_column not in names:
        allowed = f"a column of the baseline's {where} ({listing(sorted(names))})"
        problems.append(
            Problem("monitoring.target_column", repr(mon.target_column), allowed, "baseline_target_missing")
        )
    return problems


def header_problems(
    header: Sequence[str], mon: Monitoring, field: str, where: str = "header row"
) -> list[Problem]:
    """A header row (or Parquet schema) needs unique, non-empty names, which must then match the manifest."""
    duplicates = sorted(name for name, count in Counter(header).items() if count > 1 or not name)
    if duplicates:
        allowed = f"unique, non-empty column names in the {where}"
        return [Problem(field, f"column names {listing(duplicates)}", allowed, "baseline_header")]
    return column_problems(header, mon, where)


def row_problems(rows: int, field: str) -> list[Problem]:
    """A baseline needs as many records as the drift check needs to compare at all."""
    if rows >= MIN_ROWS:
        return []
    allowed = f"at least {MIN_ROWS} rows (the drift check's minimum sample)"
    return [Problem(field, f"{rows} rows", allowed, "baseline_too_few_rows")]


def batch_problems(batch: FeatureBatch, mon: Monitoring, field: str) -> list[Problem]:
    """Too few rows, nothing to profile, and declared-numeric features that are mostly not numbers."""
    problems = row_problems(batch.n_rows, field)
    if not batch.names:
        allowed = "at least one numeric, categorical or boolean feature in the baseline"
        problems.append(
            Problem("monitoring.features", "no feature to profile", allowed, "baseline_no_features")
        )
    declared = declared_kinds(mon)
    wrong = []
    for name, values in batch.numeric.items():
        numbers, others = int(np.count_nonzero(~np.isnan(values))), batch.type_mismatches.get(name, 0)
        if declared.get(name) is Kind.NUMERIC and others > numbers:
            wrong.append(f"{name!r} ({others} of {numbers + others} values)")
    if wrong:
        allowed = "numeric features whose values are mostly numbers (declare the others categorical)"
        found = f"mostly non-numeric: {listing(wrong, quote=False)}"
        problems.append(Problem("monitoring.features", found, allowed, "baseline_not_numeric"))
    return problems


def imported_problems(baseline: DatasetProfile, mon: Monitoring, field: str) -> list[Problem]:
    """Imported statistics: the same column and size rules, and numeric features typed as numbers."""
    # Model Monitor baselines usually leave the target out, so it is not required there.
    names = [f.name for f in baseline.features] + ([mon.target_column] if mon.target_column else [])
    problems = column_problems(names, mon, "statistics' features")
    problems += row_problems(baseline.record_count, field)
    declared = declared_kinds(mon)
    wrong = [
        f.name
        for f in baseline.features
        if declared.get(f.name) is Kind.NUMERIC and f.kind is Kind.CATEGORICAL
    ]
    if wrong:
        allowed = "numeric features with Integral or Fractional statistics (declare the others categorical)"
        found = f"String statistics for numeric {listing(wrong)}"
        problems.append(Problem("monitoring.features", found, allowed, "baseline_not_numeric"))
    return problems
