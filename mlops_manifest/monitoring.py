"""Drift monitoring and smoke-test settings."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from mlops_manifest.base import MimeType, NonEmptyName, StrictModel

# EventBridge Scheduler expressions: rate(<n> <unit>) or a six-field cron(...).
SCHEDULE_PATTERN = r"^(rate\([1-9]\d{0,4} (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$"
# Baseline dataset: a relative key inside the registry bucket (no leading slash; `..` checked below).
DATASET_KEY_PATTERN = r"^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,1023}$"

# Baselines are read from shared datasets or the model's own folder (the register function reads only there).
DATASETS_PREFIX = "datasets/"
JSON_LINES_SUFFIX = ".jsonl"

Schedule = Annotated[str, StringConstraints(pattern=SCHEDULE_PATTERN)]


def baseline_prefixes(model_name: str) -> tuple[str, str]:
    """Key prefixes a baseline may be read from: `datasets/` or the model's own `models/<model>/`."""
    return DATASETS_PREFIX, f"models/{model_name}/"


def is_json_lines(key: str) -> bool:
    """A `.jsonl` baseline holds one {feature: value} object per line; any other key is read as CSV."""
    return key.lower().endswith(JSON_LINES_SUFFIX)


def _no_dot_segments(key: str) -> str:
    """Reject keys with `.` or `..` segments, which S3 consoles and tools resolve differently."""
    if any(segment in {".", ".."} for segment in key.split("/")):
        raise ValueError("a relative S3 key without '.' or '..' segments")
    return key


DatasetKey = Annotated[str, StringConstraints(pattern=DATASET_KEY_PATTERN), AfterValidator(_no_dot_segments)]


class FeatureType(StrEnum):
    """Kind of a feature: numeric and categorical/boolean are profiled for drift, text is not."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    TEXT = "text"


class Feature(StrictModel):
    """One input column of the model."""

    name: NonEmptyName
    type: FeatureType


class DriftThresholds(StrictModel):
    """Per-metric thresholds above which a feature counts as drifted."""

    psi: float = Field(default=0.2, gt=0, le=10)
    ks_distance: float = Field(default=0.1, gt=0, le=1)
    js_distance: float = Field(default=0.1, gt=0, le=1)
    chi_square_p_value: float = Field(default=0.05, gt=0, lt=1)
    missing_rate_increase: float = Field(default=0.05, gt=0, le=1)


class Monitoring(StrictModel):
    """Drift detection: a baseline (under datasets/ or models/<model>/), its columns, schedule, thresholds."""

    enabled: bool = False
    # The baseline: a dataset (CSV, or JSON Lines of {feature: value} objects) profiled at registration,
    # or, for teams leaving SageMaker Model Monitor, its statistics.json (and optional constraints.json).
    # Keys lie under datasets/ or the model's own models/<model>/ folder. A CSV's columns are its header
    # row (header_row: true; with features the header must hold exactly the features plus the target) or,
    # without a header, the features in order. Text features are not profiled for drift.
    baseline_dataset_key: DatasetKey | None = None
    baseline_statistics_key: DatasetKey | None = None
    baseline_constraints_key: DatasetKey | None = None
    features: list[Feature] | None = Field(default=None, min_length=1, max_length=2000)
    header_row: bool = False
    target_column: NonEmptyName | None = None
    schedule: Schedule = "rate(1 hour)"
    thresholds: DriftThresholds = DriftThresholds()


class ResponseKind(StrEnum):
    """Top-level shape of a smoke-test response."""

    JSON_OBJECT = "json_object"
    JSON_ARRAY = "json_array"
    NUMBER = "number"
    TEXT = "text"


class ExpectedResponse(StrictModel):
    """What a healthy endpoint answers to the smoke-test payload."""

    kind: ResponseKind = ResponseKind.JSON_ARRAY
    keys: list[NonEmptyName] = Field(default_factory=list, max_length=100)
    length: int | None = Field(default=None, ge=0, le=1_000_000)


class SmokeTest(StrictModel):
    """A request sent to the staging endpoint before promotion."""

    payload: str = Field(min_length=1, max_length=262_144)
    content_type: MimeType = "application/json"
    accept: MimeType = "application/json"
    expected_response: ExpectedResponse = ExpectedResponse()
