"""What the training pipeline hands SageMaker for a spec: image, hyperparameters, names, and what it refuses.

Shared by synthesis (stacks/training_specs.py, the state machine's constants) and the run-time functions
(lambdas/training_run), so both agree on every value.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from mlops_manifest.images import resolve_image
from mlops_manifest.manifest import Framework
from mlops_manifest.problems import Problem, describe
from mlops_training.automl import AUTOPILOT
from mlops_training.job import (
    AutoMLJob,
    BuiltinAlgorithm,
    BuiltinAlgorithmJob,
    CustomImageJob,
    FrameworkScriptJob,
)
from mlops_training.spec import hyperparameter_text

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec

# Frameworks whose image in the table both trains and serves (the others list inference images only).
TRAINING_FRAMEWORKS = (Framework.SKLEARN, Framework.XGBOOST)
# SageMaker's HyperParameterTuningJobName allows 32 characters: the run name fits it for every job kind.
RUN_NAME_LENGTH = 32
_STAMP = "%y%m%d-%H%M%S"


def pipeline_refusals(spec: TrainingSpec) -> list[Problem]:
    """What a valid spec asks that the Step Functions pipeline cannot run yet, each with its field."""
    job = spec.job
    if isinstance(job, BuiltinAlgorithmJob) and job.algorithm is not BuiltinAlgorithm.XGBOOST:
        allowed = "xgboost (the only built-in algorithm whose training image the pipeline resolves)"
        return [Problem("job.algorithm", describe(str(job.algorithm)), allowed, "not_supported_by_pipeline")]
    if isinstance(job, FrameworkScriptJob) and job.framework not in TRAINING_FRAMEWORKS:
        names = ", ".join(str(f) for f in TRAINING_FRAMEWORKS)
        allowed = f"{names} (the image table lists training images for these only; use custom_image)"
        return [Problem("job.framework", describe(str(job.framework)), allowed, "not_supported_by_pipeline")]
    return []


def training_image(spec: TrainingSpec, region: str) -> str | Problem:
    """The image the training job runs in `region` (it also serves the model unless a framework is named)."""
    job = spec.job
    if isinstance(job, AutoMLJob):
        return AUTOPILOT  # Autopilot picks its images; the candidate's serving image is known at its end
    if isinstance(job, CustomImageJob):
        return job.image_uri
    if isinstance(job, FrameworkScriptJob):
        return resolve_image(str(job.framework), job.framework_version, region, "cpu")
    if isinstance(job, BuiltinAlgorithmJob) and job.version is not None:
        return resolve_image("xgboost", job.version, region, "cpu")
    refusals = pipeline_refusals(spec)
    return (
        refusals[0] if refusals else Problem("job", describe(str(job.kind)), "a runnable job", "unsupported")
    )


def sagemaker_hyperparameters(spec: TrainingSpec) -> dict[str, str]:
    """The hyperparameters as SageMaker strings, with script mode's program and code location."""
    values = {name: hyperparameter_text(value) for name, value in spec.hyperparameters.items()}
    job = spec.job
    if isinstance(job, FrameworkScriptJob):
        values |= {"sagemaker_program": job.entry_point, "sagemaker_submit_directory": job.source_uri}
    return values


def run_name(model_name: str, now: datetime) -> str:
    """The run's name: training (or tuning) job name and model version, unique per second."""
    stamp = now.strftime(_STAMP)
    head = model_name[: RUN_NAME_LENGTH - len(stamp) - 1].rstrip("-")
    return f"{head}-{stamp}"
