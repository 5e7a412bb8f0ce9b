"""Hyperparameter tuning: the objective, the search strategy and the ranges searched."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from mlops_manifest.base import StrictModel
from mlops_manifest.problems import Problem, describe
from mlops_training import text_rules as rules
from mlops_training.base import refuse
from mlops_training.evaluation import Direction
from mlops_training.job import MetricName

HyperparameterName = Annotated[str, StringConstraints(pattern=rules.HYPERPARAMETER_NAME.pattern)]
CategoryValue = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class TuningStrategy(StrEnum):
    """SageMaker's search strategies (grid search takes categorical ranges only)."""

    BAYESIAN = "bayesian"
    RANDOM = "random"
    HYPERBAND = "hyperband"
    GRID = "grid"


class Scaling(StrEnum):
    """How a numeric range is searched; logarithmic scales need a positive minimum."""

    AUTO = "auto"
    LINEAR = "linear"
    LOGARITHMIC = "logarithmic"
    REVERSE_LOGARITHMIC = "reverse_logarithmic"


class RangeType(StrEnum):
    """The kinds of hyperparameter range."""

    CONTINUOUS = "continuous"
    INTEGER = "integer"
    CATEGORICAL = "categorical"


_LOG_SCALES = frozenset({Scaling.LOGARITHMIC, Scaling.REVERSE_LOGARITHMIC})


def numeric_range_problems(low: float, high: float, scaling: Scaling) -> list[Problem]:
    """A numeric range is ordered, and positive when searched on a logarithmic scale."""
    problems = []
    if low >= high:
        problems.append(Problem("min", describe(low), f"less than max ({high})", "range"))
    if scaling in _LOG_SCALES and low <= 0:
        allowed = f"greater than 0 with {scaling} scaling (the logarithm of {low} does not exist)"
        problems.append(Problem("min", describe(low), allowed, "range"))
    return problems


class Objective(StrictModel):
    """The metric tuning optimises and in which direction."""

    metric_name: MetricName
    type: Direction


class _NumericRange(StrictModel):
    """Bounds [min, max] searched on a scale; the kinds below narrow the type and the bounds."""

    type: RangeType
    min: float
    max: float
    scaling: Scaling = Scaling.AUTO

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        """Ordered bounds, positive for logarithmic scales."""
        refuse(numeric_range_problems(self.min, self.max, self.scaling))
        return self


class ContinuousRange(_NumericRange):
    """A real-valued range [min, max]."""

    type: Literal[RangeType.CONTINUOUS]


class IntegerRange(_NumericRange):
    """An integer range [min, max]."""

    type: Literal[RangeType.INTEGER]
    min: int = Field(ge=-(10**15), le=10**15)
    max: int = Field(ge=-(10**15), le=10**15)


class CategoricalRange(StrictModel):
    """A list of values tried as they are."""

    type: Literal[RangeType.CATEGORICAL]
    values: list[CategoryValue] = Field(min_length=1, max_length=30)


HyperparameterRange = Annotated[
    ContinuousRange | IntegerRange | CategoricalRange, Field(discriminator="type")
]


class Tuning(StrictModel):
    """A hyperparameter tuning job around the training job; the best candidate is evaluated."""

    objective: Objective
    strategy: TuningStrategy = TuningStrategy.BAYESIAN
    max_jobs: int = Field(default=10, ge=1, le=500)
    max_parallel_jobs: int = Field(default=2, ge=1, le=100)
    ranges: dict[HyperparameterName, HyperparameterRange] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """Parallelism within the job count; grid search over categorical ranges only."""
        problems = []
        if self.max_parallel_jobs > self.max_jobs:
            allowed = f"at most max_jobs ({self.max_jobs})"
            problems.append(Problem("max_parallel_jobs", str(self.max_parallel_jobs), allowed, "range"))
        if self.strategy is TuningStrategy.GRID:
            allowed = "categorical ranges only with the grid strategy (grid search enumerates values)"
            problems += [
                Problem(f"ranges.{name}.type", describe(str(searched.type)), allowed, "grid")
                for name, searched in self.ranges.items()
                if not isinstance(searched, CategoricalRange)
            ]
        refuse(problems)
        return self
