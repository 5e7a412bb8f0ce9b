"""Shared pieces of the spec's models: S3 locations checked where they are written, and section checks."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from mlops_manifest.base import S3Uri
from mlops_manifest.problems import Problem

# Validation context key: the S3 prefixes the platform lets training read and write (config), as a tuple.
ALLOWED_PREFIXES = "allowed_prefixes"


def refuse(problems: list[Problem]) -> None:
    """Raise a section's cross-field problems together (paths relative to the section)."""
    if problems:
        raise PydanticCustomError(
            "cross_field", "{count} cross-field problem(s)", {"count": len(problems), "problems": problems}
        )


def normalized_prefix(prefix: str) -> str:
    """A prefix that ends in '/', so that s3://b/data never admits s3://b/data-other/."""
    return prefix if prefix.endswith("/") else prefix + "/"


def no_dot_segments(uri: str) -> str:
    """Refuse a key that climbs ('..'), stands still ('.') or has an empty segment ('//')."""
    key = uri.removeprefix("s3://").partition("/")[2]
    inner = key.split("/")[:-1] if key.endswith("/") else key.split("/")
    if key and any(segment in {"", ".", ".."} for segment in inner):
        allowed = "an S3 URI whose path has no '.', '..' or empty ('//') segments"
        raise PydanticCustomError("s3_segments", allowed)
    return uri


def under_allowed_prefix(uri: str, info: ValidationInfo) -> str:
    """Refuse a location outside the prefixes in the validation context (none given: not checked)."""
    context = info.context if isinstance(info.context, dict) else {}
    prefixes = tuple(normalized_prefix(p) for p in context.get(ALLOWED_PREFIXES, ()))
    if prefixes and not uri.startswith(prefixes):
        raise PydanticCustomError(
            "s3_prefix",
            "an S3 location under one of the prefixes the platform allows: {prefixes}",
            {"prefixes": ", ".join(prefixes)},
        )
    return uri


def _ends_with_slash(uri: str) -> str:
    """A prefix must end in '/': without it, s3://b/new also matches s3://b/new-other/."""
    if not uri.endswith("/"):
        raise PydanticCustomError(
            "prefix", "a prefix ending in '/' (without it, s3://b/new also matches s3://b/new-other/)"
        )
    return uri


# Every S3 location a run reads or writes.
TrainingS3Uri = Annotated[S3Uri, AfterValidator(no_dot_segments), AfterValidator(under_allowed_prefix)]
TrainingS3Prefix = Annotated[TrainingS3Uri, AfterValidator(_ends_with_slash)]
