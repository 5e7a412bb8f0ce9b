"""The evaluation gate: a quality metric on held-out data must reach a threshold before registration."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import model_validator

from mlops_manifest.base import NonEmptyName, StrictModel
from mlops_manifest.monitoring import METRICS_BY_PROBLEM, ProblemType, QualityMetric
from mlops_manifest.problems import Problem, describe
from mlops_training.base import TrainingS3Uri, refuse


class Direction(StrEnum):
    """Whether a metric is better when higher or when lower."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"


# Error metrics are better low; every other quality metric is better high.
LOWER_IS_BETTER = frozenset({QualityMetric.RMSE, QualityMetric.MAE})
# Metrics that are shares or areas lie in [0, 1]; error metrics are never negative; r2 is at most 1.
_SHARES = frozenset(QualityMetric) - {QualityMetric.RMSE, QualityMetric.MAE, QualityMetric.R2}


def natural_direction(metric: QualityMetric) -> Direction:
    """The direction in which a quality metric improves."""
    return Direction.MINIMIZE if metric in LOWER_IS_BETTER else Direction.MAXIMIZE


class Evaluation(StrictModel):
    """The gate: the metric on held-out data must reach the threshold, or nothing is registered."""

    metric: QualityMetric
    threshold: float
    direction: Direction | None = None  # None: the metric's natural direction
    held_out_uri: TrainingS3Uri
    # Required unless the job is AutoML, whose problem type and target column are used.
    problem_type: ProblemType | None = None
    target_column: NonEmptyName | None = None
    header_row: bool = True

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """The metric suits the problem type, its direction is its own and its threshold reachable."""
        problems = _threshold(self.metric, self.threshold)
        if self.problem_type is not None and self.metric not in METRICS_BY_PROBLEM[self.problem_type]:
            allowed = f"for {self.problem_type}: one of {', '.join(METRICS_BY_PROBLEM[self.problem_type])}"
            problems.append(Problem("metric", describe(str(self.metric)), allowed, "metric_for_problem"))
        natural = natural_direction(self.metric)
        if self.direction is not None and self.direction is not natural:
            allowed = f"{natural} for {self.metric} (or leave direction out)"
            problems.append(Problem("direction", describe(str(self.direction)), allowed, "direction"))
        refuse(problems)
        return self

    def passes(self, score: float) -> bool:
        """Whether a score reaches the threshold in the metric's direction."""
        if natural_direction(self.metric) is Direction.MINIMIZE:
            return score <= self.threshold
        return score >= self.threshold


def _threshold(metric: QualityMetric, threshold: float) -> list[Problem]:
    """A threshold the metric can reach: shares within [0, 1], errors not negative, r2 at most 1."""
    if metric in _SHARES and not 0 <= threshold <= 1:
        allowed = f"between 0 and 1 ({metric} is a share)"
    elif metric in LOWER_IS_BETTER and threshold < 0:
        allowed = f"0 or more ({metric} is an error, never negative)"
    elif metric is QualityMetric.R2 and threshold > 1:
        allowed = "at most 1 (r2 never exceeds 1)"
    else:
        return []
    return [Problem("threshold", describe(threshold), allowed, "range")]
