"""Evaluate: the spec's metric on the held-out data, the threshold, and the champion on the same data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from lambdas.training_run.data import read_bounded
from lambdas.training_run.errors import TrainingRunError
from lambdas.training_run.held_out import split_held_out
from lambdas.training_run.history import RunHistory, RunRecord, update_run
from lambdas.training_run.runs import FEATURES_FILE, evaluation_target
from lambdas.training_run.scoring import held_out_metrics, prediction_values
from lambdas.training_run.settings import Settings
from mlops_manifest.lineage import ComparisonVerdict
from mlops_manifest.monitoring import ProblemType
from mlops_training.evaluation import Direction, natural_direction
from mlops_training.job import AutoMLJob
from mlops_training.run_inputs import RunOutcome
from mlops_training.spec import TrainingSpec


@dataclass(frozen=True, kw_only=True)
class EvaluateRequest:
    """The spec and the run as Prepare laid it out."""

    spec: TrainingSpec
    run_name: str
    held_out_sha256: str
    predictions_uri: str  # the transform's output prefix


def evaluate(s3: Any, settings: Settings, request: EvaluateRequest) -> dict[str, Any]:
    """Score, gate and compare; the result says whether the run goes on to publishing, and why."""
    spec = request.spec
    labels = _labels(s3, settings, spec, request.held_out_sha256)
    predictions = read_bounded(
        s3, f"{request.predictions_uri}{FEATURES_FILE}.out", settings.max_held_out_bytes, "predictions"
    )
    metrics = held_out_metrics(_problem_type(spec), labels, prediction_values(predictions, len(labels)))
    metric = str(spec.evaluation.metric)
    score = metrics.get(metric)
    if score is None:
        raise TrainingRunError(f"{metric} is undefined on this held-out data (e.g. a single class present)")

    def verdict(history: RunHistory) -> tuple[dict[str, Any] | None, bool, str]:
        comparison = _compare(history.champion(), metric, score, request.held_out_sha256, spec)
        return (comparison, *_gate(spec, score, comparison))

    def scored(history: RunHistory) -> RunRecord:
        _, proceed, reason = verdict(history)
        failed = {} if proceed else {"outcome": RunOutcome.BELOW_THRESHOLD, "reason": reason}
        return history.find(request.run_name).model_copy(update={"metric": metric, "score": score} | failed)

    # The champion is read from the history the record is written to: a concurrent publish is seen.
    history, _ = update_run(s3, settings.reports_bucket, spec.model_name, scored)
    comparison, proceed, reason = verdict(history)
    clean = {k: v for k, v in metrics.items() if v is not None}
    return {"proceed": proceed, "reason": reason, "metric": metric, "score": score, "metrics": clean,
            "comparison": comparison}  # fmt: skip


def _labels(s3: Any, settings: Settings, spec: TrainingSpec, expected_sha256: str) -> tuple[str, ...]:
    """The held-out labels, from the very bytes Prepare checked (changed data stops the evaluation)."""
    uri = spec.evaluation.held_out_uri
    raw = read_bounded(s3, uri, settings.max_held_out_bytes, "evaluation.held_out_uri")
    if hashlib.sha256(raw).hexdigest() != expected_sha256:
        raise TrainingRunError(f"held-out data {uri} changed while the run was training; start a new run")
    return split_held_out(raw, spec.evaluation, evaluation_target(spec), uri).labels


def _problem_type(spec: TrainingSpec) -> ProblemType:
    """The evaluation's problem type (the automl job's when left out)."""
    job = spec.job
    kind = spec.evaluation.problem_type or (job.problem_type if isinstance(job, AutoMLJob) else None)
    if kind is None:
        raise TrainingRunError("evaluation.problem_type is missing from the training spec")
    return kind


def _compare(
    champion: RunRecord | None, metric: str, score: float, held_out_sha256: str, spec: TrainingSpec
) -> dict[str, Any]:
    """The challenger against the latest published run, when both were scored on the same data and metric."""
    base = {"metric": metric, "challenger_score": score, "held_out_sha256": held_out_sha256}
    if champion is None:
        return base | {"verdict": str(ComparisonVerdict.NO_CHAMPION)}
    base |= {"champion_version": champion.run_name, "champion_score": champion.score}
    same = champion.held_out_sha256 == held_out_sha256 and champion.metric == metric
    if not same or champion.score is None:
        return base | {"verdict": str(ComparisonVerdict.NOT_COMPARABLE)}
    higher_better = natural_direction(spec.evaluation.metric) is Direction.MAXIMIZE
    delta = (score - champion.score) if higher_better else (champion.score - score)
    verdict = (
        ComparisonVerdict.BETTER
        if delta > 0
        else ComparisonVerdict.WORSE
        if delta < 0
        else ComparisonVerdict.EQUAL
    )
    return base | {"verdict": str(verdict)}


def _gate(spec: TrainingSpec, score: float, comparison: dict[str, Any]) -> tuple[bool, str]:
    """Below the threshold stops; worse than the champion stops unless the spec asks for approval anyway."""
    evaluation, metric = spec.evaluation, str(spec.evaluation.metric)
    if not evaluation.passes(score):
        return False, f"{metric} {score:.4f} does not reach the threshold {evaluation.threshold}"
    if comparison["verdict"] == ComparisonVerdict.WORSE:
        champion = f"{comparison['champion_version']} ({comparison['champion_score']:.4f})"
        if not spec.champion_challenger.ask_approval_when_worse:
            return (
                False,
                f"{metric} {score:.4f} is worse than the champion {champion} on the same held-out data",
            )
        return True, f"worse than the champion {champion}; published for approval as the spec asks"
    return True, f"{metric} {score:.4f} reaches the threshold {evaluation.threshold}"
