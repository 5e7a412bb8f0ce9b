"""The model-quality schedule input: endpoint, problem type, where labels and capture land, limits."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lambdas.common.schedule_input import EndpointCheckInput, S3Object, S3Prefix
from mlops_manifest.monitoring import ProblemType  # one definition: the manifest's


class Limit(BaseModel):
    """A metric's acceptable range: breached below min or above max."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min: float | None = None
    max: float | None = None

    def breached(self, value: float | None) -> bool:
        """True when a defined value is outside the range."""
        if value is None:
            return False
        return (self.min is not None and value < self.min) or (self.max is not None and value > self.max)


class Bias(BaseModel):
    """Segment attributes (feature names) and limits on their gaps (selection_rate_gap, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    attributes: tuple[str, ...] = ()
    thresholds: dict[str, Limit] = Field(default_factory=dict)


class QualityCheckRequest(EndpointCheckInput):
    """The JSON input of one endpoint's model-quality schedule."""

    problem_type: ProblemType
    ground_truth: S3Prefix
    # Names of the positional (CSV) capture columns for bias attributes (or a baseline profile's).
    feature_names: tuple[str, ...] = ()
    baseline: S3Object | None = None
    classes: tuple[str, ...] = ()  # multiclass: class label of each score column
    probability_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    lookback_hours: int = Field(default=48, ge=1, le=24 * 14)
    min_records: int = Field(default=50, ge=1)
    thresholds: dict[str, Limit] = Field(default_factory=dict)
    bias: Bias = Field(default_factory=Bias)

    @model_validator(mode="after")
    def _bias_needs_names(self) -> QualityCheckRequest:
        """Bias attributes are feature names, so the names must come from somewhere."""
        if self.bias.attributes and not (self.feature_names or self.baseline):
            raise ValueError("bias.attributes needs feature_names or baseline to name the capture columns")
        return self


M = TypeVar("M", bound=BaseModel)


class BadRequestError(ValueError):
    """A schedule input that cannot be used; the message lists every problem with its field path."""


def validated(model: type[M], event: Any) -> M:
    """The event as the model, or a BadRequestError listing every problem at once."""
    try:
        return model.model_validate(event)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or '(input)'}: {e['msg']}" for e in exc.errors()]
        raise BadRequestError("invalid model-quality input: " + "; ".join(problems)) from exc


def parse_request(event: Any) -> QualityCheckRequest:
    """Validate the schedule input, listing every problem at once."""
    return validated(QualityCheckRequest, event)
