"""Lineage: how a trained model was built (the run, its data with digests, code or image, settings, scores).

Optional: an uploaded model may leave it out; the training pipeline always fills it (mlops_training).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from mlops_manifest import text_rules as rules
from mlops_manifest.base import NonEmptyName, PathSegment, S3Uri, StrictModel

Sha256 = Annotated[str, StringConstraints(pattern=rules.SHA256_HEX.pattern)]
# SageMaker's own limits: hyperparameter keys up to 256 characters, values up to 2500.
HyperparameterKey = Annotated[str, StringConstraints(min_length=1, max_length=256)]
HyperparameterText = Annotated[str, StringConstraints(max_length=2500)]


class DataSource(StrictModel):
    """One input channel of the run: where its data was and the digest of what was read."""

    channel: PathSegment
    uri: S3Uri
    sha256: Sha256


class ComparisonVerdict(StrEnum):
    """How the challenger (this version) scored against the champion on the same held-out data."""

    BETTER = "better"
    EQUAL = "equal"
    WORSE = "worse"
    NO_CHAMPION = "no_champion"  # the first published run of the model
    NOT_COMPARABLE = "not_comparable"  # the champion was scored on other held-out data or another metric


class ChampionComparison(StrictModel):
    """The challenger's held-out score next to the champion's, shown in the approval request and status."""

    metric: NonEmptyName
    challenger_score: float
    champion_version: PathSegment | None = None
    champion_score: float | None = None
    held_out_sha256: Sha256
    verdict: ComparisonVerdict


class AutoMLLineage(StrictModel):
    """The Autopilot job a model came from: its best candidate and the objective Autopilot ranked it by."""

    job_arn: Annotated[str, StringConstraints(pattern=rules.AUTOML_JOB_ARN.pattern)]
    candidate_name: NonEmptyName
    objective_metric: NonEmptyName | None = None
    objective_value: float | None = None


class Lineage(StrictModel):
    """What produced the model: run, data, code or image, hyperparameters, metrics and the run identity."""

    training_job_name: Annotated[str, StringConstraints(pattern=rules.SAGEMAKER_NAME.pattern)] | None = None
    execution_arn: Annotated[str, StringConstraints(pattern=rules.EXECUTION_ARN.pattern)] | None = None
    training_image_uri: Annotated[str, StringConstraints(pattern=rules.IMAGE_URI.pattern)] | None = None
    source_uri: S3Uri | None = None
    source_sha256: Sha256 | None = None
    data: list[DataSource] = Field(default_factory=list, max_length=20)
    hyperparameters: dict[HyperparameterKey, HyperparameterText] = Field(default_factory=dict, max_length=100)
    metrics: dict[NonEmptyName, float] = Field(default_factory=dict, max_length=100)
    # sha256 of the run's inputs (mlops_training.run_inputs): an unchanged retraining run is skipped.
    run_identity: Sha256 | None = None
    comparison: ChampionComparison | None = None
    automl: AutoMLLineage | None = None  # set for AutoML runs: training_job_name is the AutoML job's
    # Set when the version was adopted from a package another pipeline registered (config: [adoption]).
    source_model_package_arn: (
        Annotated[str, StringConstraints(pattern=rules.MODEL_PACKAGE_ARN.pattern)] | None
    ) = None


def comparison_summary(comparison: ChampionComparison | None) -> str:
    """One line for people deciding on a version: how it scored against the champion, in words."""
    if comparison is None:
        return "none (not produced by a training run)"
    c = comparison
    score = f"{c.metric} {c.challenger_score:.4f}"
    if c.verdict is ComparisonVerdict.NO_CHAMPION:
        return f"{score} on held-out data; no champion to compare with (the model's first published run)"
    if c.verdict is ComparisonVerdict.NOT_COMPARABLE or c.champion_score is None:
        return f"{score}; not comparable with champion {c.champion_version} (other held-out data or metric)"
    relation = "equal to" if c.verdict is ComparisonVerdict.EQUAL else f"{c.verdict} than"
    return (
        f"{relation} champion {c.champion_version}: {c.metric} {c.challenger_score:.4f} vs "
        f"{c.champion_score:.4f} on the same held-out data"
    )
