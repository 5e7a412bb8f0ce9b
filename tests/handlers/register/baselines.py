"""Builders of baseline datasets and Model Monitor documents for the register tests."""

from __future__ import annotations

import csv
import io
import json
import random
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Row = dict[str, Any]
COLUMNS = ("age", "income", "plan", "churned")
FEATURES = [
    {"name": "age", "type": "numeric"},
    {"name": "income", "type": "numeric"},
    {"name": "plan", "type": "categorical"},
]


def rows(count: int = 300, seed: int = 7) -> list[Row]:
    """Customers with a numeric age and income, a categorical plan and a 0/1 target."""
    rng = random.Random(seed)
    return [
        {
            "age": rng.randint(18, 90),
            "income": round(rng.gauss(50_000, 12_000), 2),
            "plan": rng.choice(["basic", "plus", "pro"]),
            "churned": rng.randint(0, 1),
        }
        for _ in range(count)
    ]


def csv_bytes(data: list[Row], columns: tuple[str, ...] = COLUMNS, *, header: bool = True) -> bytes:
    """The rows as CSV, with or without a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(columns)
    writer.writerows([[row[c] for c in columns] for row in data])
    return out.getvalue().encode()


def jsonl_bytes(data: list[Row]) -> bytes:
    """The rows as JSON Lines objects."""
    return "".join(json.dumps(row) + "\n" for row in data).encode()


def parquet_bytes(data: list[Row], columns: tuple[str, ...] = COLUMNS, **extra: pa.Array) -> bytes:
    """The rows as Parquet (plan dictionary-encoded, as pandas writes categoricals), plus extra columns."""
    table = pa.table({c: [row[c] for row in data] for c in columns})
    if "plan" in columns:
        table = table.set_column(columns.index("plan"), "plan", table.column("plan").dictionary_encode())
    for name, array in extra.items():
        table = table.append_column(name, array)
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=64)
    return out.getvalue()


def _numeric_stats(values: list[float]) -> dict[str, Any]:
    mean = sum(values) / len(values)
    low, high = min(values), max(values)
    step = (high - low) / 4
    buckets = [
        {"lower_bound": low + i * step, "upper_bound": low + (i + 1) * step, "count": len(values) / 4}
        for i in range(4)
    ]
    return {
        "common": {"num_present": len(values), "num_missing": 0},
        "mean": mean,
        "sum": sum(values),
        "std_dev": (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5,
        "min": low,
        "max": high,
        "distribution": {"kll": {"buckets": buckets, "sketch": {"parameters": {"c": 0.64, "k": 2048.0}}}},
    }


def model_monitor_statistics(data: list[Row]) -> dict[str, Any]:
    """A statistics.json as SageMaker Model Monitor's baselining job writes it."""
    plans = [row["plan"] for row in data]
    return {
        "version": 0.0,
        "dataset": {"item_count": len(data)},
        "features": [
            {
                "name": "income",
                "inferred_type": "Fractional",
                "numerical_statistics": _numeric_stats([row["income"] for row in data]),
            },
            {
                "name": "plan",
                "inferred_type": "String",
                "string_statistics": {
                    "common": {"num_present": len(plans), "num_missing": 0},
                    "distinct_count": float(len(set(plans))),
                    "distribution": {
                        "categorical": {
                            "buckets": [{"value": p, "count": plans.count(p)} for p in sorted(set(plans))]
                        }
                    },
                },
            },
        ],
    }


def model_monitor_constraints() -> dict[str, Any]:
    """The constraints.json matching model_monitor_statistics."""
    return {
        "version": 0.0,
        "features": [
            {"name": "income", "inferred_type": "Fractional", "completeness": 1.0},
            {
                "name": "plan",
                "inferred_type": "String",
                "completeness": 1.0,
                "string_constraints": {"domains": ["basic", "plus", "pro", "enterprise"]},
            },
        ],
    }
