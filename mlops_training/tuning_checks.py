"""Rules of tuning that involve the rest of the spec: fixed hyperparameters and the objective's source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_manifest.problems import Problem, describe
from mlops_training.job import CustomImageJob, FrameworkScriptJob

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec


def tuning_problems(spec: TrainingSpec) -> list[Problem]:
    """A searched hyperparameter is not also fixed; the objective is a metric the job reports."""
    if spec.tuning is None:
        return []
    allowed = "a hyperparameter either fixed in hyperparameters or searched in tuning.ranges, not both"
    problems = [
        Problem(f"tuning.ranges.{name}", describe(name), allowed, "range_conflict")
        for name in spec.tuning.ranges
        if name in spec.hyperparameters
    ]
    return problems + _objective_source(spec)


def _objective_source(spec: TrainingSpec) -> list[Problem]:
    """Script and custom-image jobs report metrics only through their metric definitions."""
    job = spec.job
    if spec.tuning is None or not isinstance(job, FrameworkScriptJob | CustomImageJob):
        return []
    wanted = spec.tuning.objective.metric_name
    defined = [definition.name for definition in job.metric_definitions]
    if wanted in defined:
        return []
    listed = ", ".join(defined) or "none defined"
    allowed = f"a metric named in job.metric_definitions ({listed}): the job's log is the only source"
    return [Problem("tuning.objective.metric_name", describe(wanted), allowed, "objective_undefined")]
