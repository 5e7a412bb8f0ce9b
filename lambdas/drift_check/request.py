"""The drift check's schedule input: which endpoint, which baseline, where its capture lands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from pydantic import Field, ValidationError

from lambdas.common.schedule_input import EndpointCheckInput, S3Object
from mlops_drift import DriftThresholds, Thresholds

# Thresholds a stored profile may carry; names of a newer engine are ignored by an older one.
THRESHOLD_NAMES = frozenset(field.name for field in fields(Thresholds))


class DriftCheckRequest(EndpointCheckInput):
    """The JSON input of one endpoint's drift-check schedule."""

    baseline: S3Object
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
