"""The drift baseline at registration: read once, checked against the manifest, profiled (or imported)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any, TextIO

from lambdas.register import baseline_checks as checks
from lambdas.register.baseline_read import (
    STATISTICS_FORMAT,
    BaselineObject,
    check_object,
    open_binary,
    open_text,
    read_json,
    too_large_problem,
)
from mlops_drift.baseline_sources import MAX_PARQUET_VALUES, BaselineFormatError, CsvSource, read_json_lines
from mlops_drift.batch import FeatureBatch
from mlops_drift.model_monitor import from_model_monitor
from mlops_drift.profile import DatasetProfile, profile
from mlops_drift.spec import derive_spec
from mlops_manifest import Problem
from mlops_manifest.monitoring import DatasetFormat, Monitoring, dataset_format

FORMAT_ALLOWED = {
    "not_utf8": "UTF-8 text (CSV or JSON Lines), not compressed or binary; a Parquet key ends in .parquet",
    "not_csv": "a CSV file: a header row (header_row: true) or one column per declared feature",
    "ragged": "every row with as many fields as the header row (or as declared features)",
    "not_jsonl": "JSON Lines: one {feature: value} object per line",
    "not_parquet": "a complete, readable Parquet file (as written by pyarrow, pandas or Spark)",
    "too_many_values": f"at most {MAX_PARQUET_VALUES} values (rows x profiled columns) in a Parquet "
    "baseline: upload a representative sample, or import Model Monitor statistics (baseline_statistics_key)",
    "unsupported_type": "Parquet columns of integer, floating, decimal, boolean, string or dictionary type "
    "(declare other columns as text features to leave them out)",
}


@dataclass
class BaselineResult:
    """The baseline's problems, or its profile when there are none."""

    problems: list[Problem] = field(default_factory=list)
    profile: DatasetProfile | None = None


def drift_thresholds(mon: Monitoring) -> dict[str, float | None]:
    """The manifest's drift thresholds under the engine's names, stored with the profile for the check."""
    t = mon.thresholds
    return {
        "psi": t.psi,
        "ks": t.ks_distance,
        "js": t.js_distance,
        "p_value": t.chi_square_p_value,
        "missing_rate_increase": t.missing_rate_increase,
        "missing_rate_decrease": t.missing_rate_decrease,
        "out_of_range_rate": t.out_of_range_rate,
        "schema_mismatch_rate": t.schema_mismatch_rate,
    }


def assess_baseline(s3: Any, bucket: str, mon: Monitoring, cap: int) -> BaselineResult:
    """Read the baseline the manifest names and profile it; every problem found is returned."""
    if mon.baseline_statistics_key is not None:
        return _imported(s3, bucket, mon, cap)
    assert mon.baseline_dataset_key is not None  # guaranteed by the schema when monitoring is enabled
    obj = BaselineObject("monitoring.baseline_dataset_key", bucket, mon.baseline_dataset_key, cap)
    version_id, problems = check_object(s3, obj)
    if problems:
        return BaselineResult(problems)
    try:
        batch = _read_dataset(s3, obj, version_id, mon, problems)
    except BaselineFormatError as error:
        if error.code == "too_large":
            return BaselineResult([*problems, too_large_problem(obj, error.detail)])
        return BaselineResult(
            [*problems, obj.problem(error.detail, FORMAT_ALLOWED[error.code], f"baseline_{error.code}")]
        )
    problems += checks.batch_problems(batch, mon, obj.field)
    if problems:
        return BaselineResult(problems)
    return BaselineResult(profile=profile(batch, derive_spec(batch)))


def _read_dataset(
    s3: Any, obj: BaselineObject, version_id: str | None, mon: Monitoring, problems: list[Problem]
) -> FeatureBatch:
    """Read the baseline in the format its key names, adding column problems as they are found."""
    if dataset_format(obj.key) is DatasetFormat.PARQUET:
        with open_binary(s3, obj, version_id) as file:
            return _read_parquet(file, mon, obj.field, problems)
    with open_text(s3, obj, version_id) as text:
        return _read(text, mon, obj.field, problems)


def _read_parquet(file: IO[bytes], mon: Monitoring, path: str, problems: list[Problem]) -> FeatureBatch:
    """Read a Parquet baseline: its schema names the columns, as a CSV header row does."""
    # Imported here so that pyarrow loads only when a Parquet baseline is read, not at every cold start.
    from mlops_drift.baseline_parquet import ParquetSource

    kinds = checks.declared_kinds(mon)
    source = ParquetSource(file)
    problems += checks.header_problems(source.names, mon, path, "Parquet schema")
    return source.read([name for name in source.names if checks.profiled(name, mon, kinds)], kinds)


def _read(text: TextIO, mon: Monitoring, path: str, problems: list[Problem]) -> FeatureBatch:
    """Read a CSV or JSON Lines baseline, adding column problems as they are found."""
    kinds = checks.declared_kinds(mon)
    if dataset_format(mon.baseline_dataset_key or "") is DatasetFormat.JSON_LINES:
        batch, seen = read_json_lines(text, list(kinds), kinds)
        problems += checks.column_problems(seen, mon, "records")
        return batch
    source = CsvSource(text, header=mon.header_row)
    if source.header is None:
        names = [f.name for f in mon.features or ()]
    else:
        names = source.header
        problems += checks.header_problems(names, mon, path)
    columns = {name: i for i, name in enumerate(names) if checks.profiled(name, mon, kinds)}
    return source.read(len(names), columns, kinds)


def _imported(s3: Any, bucket: str, mon: Monitoring, cap: int) -> BaselineResult:
    """Import a Model Monitor statistics.json (and constraints.json) pair as the baseline profile."""
    assert mon.baseline_statistics_key is not None
    obj = BaselineObject("monitoring.baseline_statistics_key", bucket, mon.baseline_statistics_key, cap)
    statistics, problems = read_json(s3, obj)
    problems = problems or _shape(statistics, obj.field, "statistics")
    constraints, more = _constraints(s3, bucket, mon, cap)
    if problems or more:
        return BaselineResult(problems + more)
    try:
        imported = from_model_monitor(statistics, constraints)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        found = f"unreadable statistics ({type(error).__name__}: {error})"[:200]
        return BaselineResult([obj.problem(found, STATISTICS_FORMAT, "baseline_not_model_monitor")])
    problems = checks.imported_problems(imported, mon, obj.field)
    kinds = checks.declared_kinds(mon)
    kept = tuple(f for f in imported.features if checks.profiled(f.name, mon, kinds))
    if not kept and not problems:
        allowed = "at least one numeric or string feature in the statistics"
        problems.append(
            Problem("monitoring.features", "no feature to profile", allowed, "baseline_no_features")
        )
    return (
        BaselineResult(problems)
        if problems
        else BaselineResult(profile=DatasetProfile(imported.record_count, kept))
    )


def _constraints(s3: Any, bucket: str, mon: Monitoring, cap: int) -> tuple[Any, list[Problem]]:
    """The optional constraints.json, parsed, or its problems."""
    if mon.baseline_constraints_key is None:
        return None, []
    obj = BaselineObject("monitoring.baseline_constraints_key", bucket, mon.baseline_constraints_key, cap)
    constraints, problems = read_json(s3, obj)
    return constraints, problems or _shape(constraints, obj.field, "constraints")


def _shape(document: Any, path: str, kind: str) -> list[Problem]:
    """Model Monitor documents are objects with a `features` list of named entries."""
    features = document.get("features") if isinstance(document, dict) else None
    named = isinstance(features, list) and all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in features
    )
    if named and (kind == "constraints" or features):
        return []
    found = f"a JSON {type(document).__name__} without a list of named features"
    return [Problem(path, found, STATISTICS_FORMAT, "baseline_not_model_monitor")]
