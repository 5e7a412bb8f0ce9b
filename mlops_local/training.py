"""Local training: a training spec run on the laptop, scikit-learn standing in for the SageMaker job.

Same contract as the job: channels in (a CSV file or folder per channel), `model.tar.gz` and
`metrics.json` out, then the spec's evaluation gate on the held-out data. The artifact has the layout of
SageMaker's scikit-learn container (mlops_local.demo_model), so the local endpoint serves it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from mlops_local.demo_model import write_artifact
from mlops_local.training_data import TrainingDataError, channel_digest, read_table
from mlops_local.training_metrics import held_out_metrics
from mlops_manifest.images import resolve_image
from mlops_manifest.manifest import Framework
from mlops_manifest.monitoring import ProblemType
from mlops_training.job import AutoMLJob, FrameworkScriptJob
from mlops_training.manifest_from_run import DataInput, TrainingRun
from mlops_training.run_inputs import run_identity
from mlops_training.spec import TrainingSpec, hyperparameter_text

__all__ = ["LocalTraining", "TrainingDataError", "train_locally"]


@dataclass(frozen=True)
class LocalTraining:
    """A finished local run: what the job would report, the gate's score and whether it passed."""

    run: TrainingRun
    artifact: Path
    metrics_file: Path
    score: float | None
    passed: bool


def train_locally(
    spec: TrainingSpec,
    *,
    channels: Mapping[str, Path],
    held_out: Path,
    output: Path,
    job_name: str,
    region: str = "us-east-1",
) -> LocalTraining:
    """Train on the local channels, write model.tar.gz and metrics.json to `output`, evaluate the gate."""
    image = _stand_in_image(spec, region)
    missing = sorted({c.name for c in spec.channels} - set(channels))
    if missing or "train" not in channels:
        raise TrainingDataError(f"local channels needed for: {', '.join(missing or ['train'])}")
    target, problem_type = _target(spec)
    table = read_table(channels["train"], target)
    model = _estimator(problem_type, spec)
    model.fit(table.x, table.y)
    output.mkdir(parents=True, exist_ok=True)
    artifact = output / "model.tar.gz"
    sha256 = write_artifact(model, artifact)
    metrics = held_out_metrics(model, read_table(held_out, target), problem_type)
    metrics_file = output / "metrics.json"
    metrics_file.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    scores = {k: v for k, v in metrics.items() if v is not None}
    run = _run_record(spec, channels, job_name, image, artifact, sha256, scores)
    score = scores.get(str(spec.evaluation.metric))
    passed = score is not None and spec.evaluation.passes(score)
    return LocalTraining(run, artifact, metrics_file, score, passed)


def _run_record(
    spec: TrainingSpec,
    channels: Mapping[str, Path],
    job_name: str,
    image: str,
    artifact: Path,
    sha256: str,
    metrics: dict[str, float],
) -> TrainingRun:
    """What the SageMaker job would report: artifact, image, inputs with digests, metrics, identity."""
    data = tuple(DataInput(c.name, c.uri, channel_digest(channels[c.name])) for c in spec.channels)
    return TrainingRun(
        job_name=job_name,
        artifact_uri=artifact.resolve().as_uri(),
        artifact_sha256=sha256,
        artifact_size=artifact.stat().st_size,
        image_uri=image,
        hyperparameters={k: hyperparameter_text(v) for k, v in spec.hyperparameters.items()},
        data=data,
        metrics=metrics,
        run_identity=run_identity(spec, data, image_uri=image),
    )


def _stand_in_image(spec: TrainingSpec, region: str) -> str:
    """The scikit-learn image (it trains and serves); other jobs cannot be stood in for honestly."""
    job = spec.job
    if not isinstance(job, FrameworkScriptJob) or job.framework is not Framework.SKLEARN:
        kind = f"{job.kind} ({getattr(job, 'framework', '')})".replace(" ()", "")
        raise TrainingDataError(f"local training stands in for scikit-learn script jobs only, not {kind}")
    image = resolve_image("sklearn", job.framework_version, region, "cpu")
    if not isinstance(image, str):
        raise TrainingDataError(f"{image.path}: {image.allowed}")
    return image


def _target(spec: TrainingSpec) -> tuple[str, ProblemType]:
    """The target column and problem type (the evaluation's, else the automl job's)."""
    job = spec.job
    target = spec.evaluation.target_column or (job.target_column if isinstance(job, AutoMLJob) else None)
    kind = spec.evaluation.problem_type or (job.problem_type if isinstance(job, AutoMLJob) else None)
    assert target is not None and kind is not None  # the spec's validation requires them
    return target, kind


def _estimator(problem_type: ProblemType, spec: TrainingSpec) -> Pipeline:
    """A scaled linear model; hyperparameters named like the model's parameters (C, max_iter, alpha) apply."""
    final: Any = Ridge() if problem_type is ProblemType.REGRESSION else LogisticRegression(max_iter=1000)
    known = final.get_params()
    final.set_params(**{k: _number(v) for k, v in spec.hyperparameters.items() if k in known})
    pipeline: Pipeline = make_pipeline(StandardScaler(), final)
    return pipeline


def _number(value: str | int | float | bool) -> Any:
    """A hyperparameter as the estimator expects it: numbers parsed from text, text kept."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
