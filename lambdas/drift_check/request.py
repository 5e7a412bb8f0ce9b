"""The drift check's schedule input: which endpoint, which baseline, where its capture lands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlops_drift import DriftThresholds, Thresholds

# Thresholds a stored profile may carry; names of a newer engine are ignored by an older one.
THRESHOLD_NAMES = frozenset(field.name for field in fields(Thresholds))

NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"


class S3Object(BaseModel):
    """One S3 object."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bucket: str = Field(min_length=3)
    key: str = Field(min_length=1)


class S3Prefix(BaseModel):
    """An S3 key prefix (no trailing slash needed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bucket: str = Field(min_length=3)
    prefix: str = ""

    def under(self, *parts: str) -> str:
        """The key prefix for the given path parts, ending with "/"."""
        return "/".join(p.strip("/") for p in (self.prefix, *parts) if p.strip("/")) + "/"


class DriftCheckRequest(BaseModel):
    """The JSON input of one endpoint's drift-check schedule."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    endpoint_name: str = Field(pattern=NAME_PATTERN)
    variant_name: str = Field(default="AllTraffic", pattern=NAME_PATTERN)
    model_name: str = Field(min_length=1)
    model_version: str = Field(min_length=1)
    baseline: S3Object
    capture: S3Prefix
    # {"default": {...}, "per_feature": {name: {...}}}; see mlops_drift.Thresholds for the fields.
    thresholds: dict[str, Any] = Field(default_factory=dict)

    def with_stored(self, stored: Mapping[str, Any]) -> DriftCheckRequest:
        """This request with the thresholds registration stored under its own (schedule input wins)."""
        known = {name: value for name, value in stored.items() if name in THRESHOLD_NAMES}
        default = known | dict(self.thresholds.get("default", {}))
        return self.model_copy(update={"thresholds": self.thresholds | {"default": default}})

    def drift_thresholds(self) -> DriftThresholds:
        """The thresholds as the engine's type."""
        return DriftThresholds.from_dict(self.thresholds)


class BadRequestError(ValueError):
    """A schedule input that cannot be used; the message lists every problem with its field path."""


def parse_request(event: Any) -> DriftCheckRequest:
    """Validate the schedule input, listing every problem at once."""
    try:
        request = DriftCheckRequest.model_validate(event)
        request.drift_thresholds()
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise BadRequestError("invalid drift-check input: " + "; ".join(problems)) from exc
    except (TypeError, ValueError) as exc:
        raise BadRequestError(f"invalid drift-check input: thresholds: {exc}") from exc
    return request
