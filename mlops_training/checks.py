"""Rules of the training spec that span sections (each section checks its own fields itself)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mlops_manifest.problems import Problem, describe
from mlops_training.job import AutoMLJob, FrameworkScriptJob
from mlops_training.tuning_checks import tuning_problems

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec

# Autopilot V2 reads one training channel and, optionally, a validation channel.
AUTOML_CHANNELS = ("train", "validation")
# Script mode passes the script's name and code location as hyperparameters with this prefix.
RESERVED_HYPERPARAMETER_PREFIX = "sagemaker_"


def cross_check(spec: TrainingSpec) -> list[Problem]:
    """Return every problem between sections of a spec whose sections are each valid."""
    from mlops_training.manifest_from_run import serving_problems  # it imports the spec module

    return [
        *_automl(spec),
        *_channels(spec),
        *_hyperparameters(spec),
        *tuning_problems(spec),
        *_evaluation(spec),
        *_held_out(spec),
        *_retraining(spec),
        *serving_problems(spec),
    ]


def _automl(spec: TrainingSpec) -> list[Problem]:
    """AutoML takes no tuning, hyperparameters or instances: Autopilot chooses them."""
    if not isinstance(spec.job, AutoMLJob):
        return []
    why = "AutoML (Autopilot) chooses algorithms, hyperparameters and instances itself"
    given = {"tuning": spec.tuning, "hyperparameters": spec.hyperparameters, "resources": spec.resources}
    return [
        Problem(field, "(set)", f"no {field} for an automl job: {why}", "automl_conflict")
        for field, value in given.items()
        if value
    ]


def _channels(spec: TrainingSpec) -> list[Problem]:
    """Channel names are unique; AutoML reads 'train' and optionally 'validation'."""
    counts = Counter(channel.name for channel in spec.channels)
    problems = [
        Problem(f"channels[{i}].name", describe(c.name), "each channel name once", "duplicate_channel")
        for i, c in enumerate(spec.channels)
        if counts[c.name] > 1
    ]
    if isinstance(spec.job, AutoMLJob):
        allowed = "for an automl job: a 'train' channel and optionally a 'validation' channel"
        problems += [
            Problem(f"channels[{i}].name", describe(c.name), allowed, "automl_channel")
            for i, c in enumerate(spec.channels)
            if c.name not in AUTOML_CHANNELS
        ]
        if "train" not in counts:
            problems.append(Problem("channels", "no 'train' channel", allowed, "automl_channel"))
    return problems


def _hyperparameters(spec: TrainingSpec) -> list[Problem]:
    """Script mode's own hyperparameters (sagemaker_*) are set by the pipeline, never by the spec."""
    if not isinstance(spec.job, FrameworkScriptJob):
        return []
    allowed = f"a name not starting with '{RESERVED_HYPERPARAMETER_PREFIX}' (script mode sets those itself)"
    return [
        Problem(f"hyperparameters.{name}", describe(name), allowed, "reserved_hyperparameter")
        for name in spec.hyperparameters
        if name.lower().startswith(RESERVED_HYPERPARAMETER_PREFIX)
    ]


def _evaluation(spec: TrainingSpec) -> list[Problem]:
    """Problem type and target column: from the automl job (repeated only if equal), else required."""
    evaluation, job = spec.evaluation, spec.job
    problems: list[Problem] = []
    for field in ("problem_type", "target_column"):
        given = getattr(evaluation, field)
        if isinstance(job, AutoMLJob):
            expected = getattr(job, field)
            if given is not None and given != expected:
                allowed = f"{expected} as in the automl job (or leave it out)"
                problems.append(Problem(f"evaluation.{field}", describe(str(given)), allowed, "conflict"))
        elif given is None:
            allowed = f"the {field} of the held-out data (required unless the job is automl)"
            problems.append(Problem(f"evaluation.{field}", "(missing)", allowed, "missing"))
    if isinstance(job, AutoMLJob) and evaluation.metric not in _metrics(job):
        allowed = f"for {job.problem_type}: one of {', '.join(_metrics(job))}"
        found = describe(str(evaluation.metric))
        problems.append(Problem("evaluation.metric", found, allowed, "metric_for_problem"))
    return problems


def _held_out(spec: TrainingSpec) -> list[Problem]:
    """Held-out data never overlaps a channel: SageMaker reads every key under a channel's prefix, so the
    model would be scored on rows it was trained on and any threshold would be met too easily."""
    held = str(spec.evaluation.held_out_uri)
    problems: list[Problem] = []
    for channel in spec.channels:
        uri = str(channel.uri)
        if held.startswith(uri) or uri.startswith(held):
            allowed = (
                f"held-out data outside channel '{channel.name}' ({uri}): every object whose key starts "
                "with a channel's URI is read for training, so the evaluation would score training rows"
            )
            code = "held_out_in_channel"
            problems.append(Problem("evaluation.held_out_uri", describe(held), allowed, code))
    return problems


def _metrics(job: AutoMLJob) -> tuple[str, ...]:
    """The metrics the evaluation computes for the automl job's problem type."""
    from mlops_manifest.monitoring import METRICS_BY_PROBLEM

    return tuple(METRICS_BY_PROBLEM[job.problem_type])


def _retraining(spec: TrainingSpec) -> list[Problem]:
    """Drift and quality triggers need the monitoring that raises them."""
    monitoring, retraining = spec.serving.monitoring, spec.retraining
    problems: list[Problem] = []
    if retraining.drift is not None and not monitoring.enabled:
        allowed = "serving.monitoring.enabled: true (drift findings come from the drift check)"
        problems.append(Problem("retraining.drift", "(set)", allowed, "trigger_without_source"))
    if retraining.quality is not None and monitoring.quality is None:
        allowed = "serving.monitoring.quality set (quality breaches come from the model-quality check)"
        problems.append(Problem("retraining.quality", "(set)", allowed, "trigger_without_source"))
    return problems
