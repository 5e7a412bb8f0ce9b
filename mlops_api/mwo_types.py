"""MWO's S3 locations and per-stage values, read strictly; the MWO pipeline types this product does not map.

MWO named objects three ways: a key relative to its assets bucket (model artifact, baseline data), a
`bucket/prefix` path (capture, batch input and output, monitor outputs), and, for ground truth, an
`s3://bucket/prefix` URI. Each becomes an S3 URI here, or a problem naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lambdas.common.s3_uri import s3_uri
from mlops_manifest.problems import Problem, describe

# MWO's multi-account form gives these per-stage values; production's value is the one a manifest keeps.
STAGE_KEYS = ("dev", "staging", "prod")
PRODUCTION_KEY = "prod"
# S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens; a letter or digit at each end.
BUCKET_NAME_PATTERN = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
_BUCKET = re.compile(BUCKET_NAME_PATTERN, re.ASCII)
_BUCKET_WORDS = "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"
# Key characters every S3 tool handles alike (AWS's "safe characters"); no spaces, backslashes or controls.
_KEY = re.compile(r"^[A-Za-z0-9!_.*'()/-]{1,1024}$", re.ASCII)
_KEY_WORDS = (
    "a relative S3 key of letters, digits and ! _ . * ' ( ) / - without a leading slash, empty segments "
    "or '.'/'..' segments"
)
MAPPED_WORDS = (
    "byom_realtime_builtin, byom_realtime_custom, byom_batch_builtin, byom_batch_custom, "
    "byom_data_quality_monitor, byom_model_quality_monitor"
)
_TRAINING = "a training spec (docs/training.md): the training pipeline registers what passes its evaluation"
_CLARIFY = "SageMaker Clarify is closed to new AWS customers"
_MODEL_CARDS = (
    "nothing: model cards are not managed here; the registry records each version's artifact sha256, "
    "uploader, approvals and lineage"
)
# Every other MWO pipeline type, and what to use instead.
NOT_MAPPED: dict[str, str] = {
    "model_training_builtin": f"{_TRAINING}, job.kind builtin_algorithm",
    "model_tuner_builtin": f"{_TRAINING}, job.kind builtin_algorithm with a tuning section",
    "model_autopilot_training": f"{_TRAINING}, job.kind automl",
    "byom_model_bias_monitor": (
        f"monitoring.quality.bias_attributes and bias_thresholds in the manifest (binary classification; "
        f"{_CLARIFY}, so bias gaps are computed from captured predictions and ground truth)"
    ),
    "byom_model_explainability_monitor": f"nothing: feature attributions are not computed ({_CLARIFY})",
    "byom_image_builder": (
        "build the image into your own ECR repository and name it in image_uri (byom_*_custom); the "
        "registry admits images from the accounts its configuration allows"
    ),
    "create_model_card": _MODEL_CARDS,
    "update_model_card": _MODEL_CARDS,
    "describe_model_card": _MODEL_CARDS,
    "delete_model_card": _MODEL_CARDS,
    "export_model_card": _MODEL_CARDS,
    "list_model_cards": _MODEL_CARDS,
}


@dataclass(frozen=True)
class S3Location:
    """A bucket and a key (or prefix) inside it."""

    bucket: str
    key: str

    @property
    def uri(self) -> str:
        """The location as an s3:// URI."""
        return s3_uri(self.bucket, self.key)


def key_problem(field: str, key: str) -> Problem | None:
    """A problem when `key` could climb, hide or be read differently by two S3 tools."""
    segments = key.split("/")
    if (
        not _KEY.fullmatch(key)
        or key.startswith("/")
        or any(s in {".", ".."} for s in segments)
        or "" in segments[:-1]
    ):
        return Problem(field, describe(key), _KEY_WORDS, "bad_s3_key")
    return None


def asset_location(field: str, key: str, assets_bucket: str) -> S3Location | Problem:
    """A key MWO read from its assets bucket (model artifact, baseline data)."""
    if key.startswith("s3://"):
        allowed = f"a key relative to MWO's assets bucket ({assets_bucket}), as MWO took it: no s3:// URI"
        return Problem(field, describe(key), allowed, "not_relative")
    problem = key_problem(field, key)
    return problem or S3Location(assets_bucket, key)


def bucket_location(field: str, path: str) -> S3Location | Problem:
    """MWO's `bucket/prefix` form (an s3:// URI is read the same way)."""
    bare = path.removeprefix("s3://")
    bucket, _, key = bare.partition("/")
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        allowed = f"bucket/key or s3://bucket/key with a bucket name of {_BUCKET_WORDS}"
        return Problem(field, describe(path), allowed, "bad_s3_location")
    if not key.strip("/"):
        return Problem(field, describe(path), "bucket/key: a key or prefix after the bucket name", "no_key")
    problem = key_problem(field, key)
    return problem or S3Location(bucket, key)


@dataclass(frozen=True)
class StageChoice:
    """The production value of a per-stage field, and the other stages' values a manifest cannot hold."""

    value: str | None
    dropped: tuple[str, ...] = ()
    problem: Problem | None = None


def production_value(field: str, value: str | dict[str, str]) -> StageChoice:
    """The value of one field for production: itself, or the `prod` entry of MWO's multi-account object."""
    if isinstance(value, str):
        return StageChoice(value)
    if PRODUCTION_KEY not in value:
        allowed = "a 'prod' entry: a manifest has one value for every stage, and production's is kept"
        return StageChoice(None, problem=Problem(field, describe(value), allowed, "no_prod_value"))
    dropped = tuple(f"{stage}={value[stage]}" for stage in STAGE_KEYS if stage in value and stage != "prod")
    return StageChoice(value[PRODUCTION_KEY], dropped)
