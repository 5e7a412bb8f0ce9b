"""Candidate: the ended AutoML job's best candidate as the run's trained model, or why there is none.

The state machine passes DescribeAutoMLJobV2's answer once the job has ended. Ensembling mode serves with
one container; its environment must be one the endpoint blueprint can pass, checked here with the manifest's
own rules so that a candidate that could not be served is refused before it is scored.
"""

from __future__ import annotations

from typing import Any

from lambdas.training_run.errors import TrainingRunError
from mlops_manifest.environment import variable_problems


def best_candidate(described: dict[str, Any]) -> dict[str, Any]:
    """The trained model ($.trained): job, artifact, image, environment, candidate and its objective."""
    name = str(described.get("AutoMLJobName", "(unnamed)"))
    status = described.get("AutoMLJobStatus")
    if status != "Completed":
        detail = described.get("FailureReason") or described.get("AutoMLJobSecondaryStatus") or "no reason"
        raise TrainingRunError(f"AutoML job {name} ended {status}: {detail}")
    candidate = described.get("BestCandidate")
    if not isinstance(candidate, dict):
        raise TrainingRunError(f"AutoML job {name} completed without a best candidate")
    containers = candidate.get("InferenceContainers") or []
    if len(containers) != 1:
        raise TrainingRunError(
            f"AutoML job {name}: the best candidate has {len(containers)} inference containers; the pipeline "
            "registers one (ensembling mode)"
        )
    container = containers[0]
    environment = {str(k): str(v) for k, v in (container.get("Environment") or {}).items()}
    problems = variable_problems(environment)
    if problems:
        listed = "; ".join(f"{p.path}: found {p.found}; allowed: {p.allowed}" for p in problems)
        raise TrainingRunError(f"AutoML job {name}: its candidate cannot be served as registered ({listed})")
    return {
        "jobName": name,
        "jobArn": str(described.get("AutoMLJobArn")),
        "artifactUri": str(container["ModelDataUrl"]),
        "imageUri": str(container["Image"]),
        "environment": environment,
        "candidateName": str(candidate.get("CandidateName")),
        **_objective(candidate),
        "metrics": _metrics(candidate),
    }


def _objective(candidate: dict[str, Any]) -> dict[str, Any]:
    """The metric Autopilot ranked candidates by and the best one's value (absent: none reported)."""
    final = candidate.get("FinalAutoMLJobObjectiveMetric") or {}
    if "MetricName" not in final or "Value" not in final:
        return {"objectiveMetric": None, "objectiveValue": None}
    return {"objectiveMetric": str(final["MetricName"]), "objectiveValue": float(final["Value"])}


def _metrics(candidate: dict[str, Any]) -> dict[str, float]:
    """The candidate's reported metrics, named <set>:<metric> as training jobs' metrics are."""
    listed = (candidate.get("CandidateProperties") or {}).get("CandidateMetrics") or []
    return {
        f"{str(m.get('Set', 'Validation')).lower()}:{m['MetricName']}": float(m["Value"])
        for m in listed
        if "MetricName" in m and "Value" in m
    }
