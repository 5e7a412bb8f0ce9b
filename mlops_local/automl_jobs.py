"""Autopilot V2 stood in for on the laptop: a few scikit-learn models, the best one on validation data.

Same contract as the AutoML job: it reads the training (and validation) channel the request names, writes
the best candidate's `model.tar.gz` under the request's output path, and DescribeAutoMLJobV2 answers with
that candidate as one inference container (ensembling mode's shape). The container is SageMaker's
scikit-learn image, whose entry point the blueprint passes, so the candidate deploys like any model; like a
real candidate it also carries the variables that select its answer (`candidate_environment`), which travel
through the package to each stage's model and reach the local endpoint.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from lambdas.common.s3_uri import split_s3_uri
from mlops_contract.serving import serving_environment
from mlops_local.demo_model import write_artifact
from mlops_local.moto_server import ACCOUNT, REGION
from mlops_local.state_machine import TaskFailedError
from mlops_local.training_data import Table, TrainingDataError, read_table
from mlops_local.training_jobs import download_files
from mlops_local.training_metrics import held_out_metrics
from mlops_manifest.images import resolve_image, supported_versions
from mlops_manifest.monitoring import ProblemType, QualityMetric
from mlops_training.evaluation import Direction, natural_direction

_PROBLEMS = {
    "BinaryClassification": (ProblemType.BINARY, QualityMetric.F1),
    "MulticlassClassification": (ProblemType.MULTICLASS, QualityMetric.F1_MACRO),
    "Regression": (ProblemType.REGRESSION, QualityMetric.RMSE),
}
# Autopilot's objective names, as this stand-in scores them (the default: the problem's metric above).
_OBJECTIVES = {"Accuracy": "accuracy", "F1": "f1", "F1macro": "f1_macro", "AUC": "roc_auc", "RMSE": "rmse",
               "MAE": "mae", "R2": "r2", "Precision": "precision", "Recall": "recall"}  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One trained candidate and its score on the validation rows."""

    name: str
    model: Pipeline
    score: float


def _candidates(problem: ProblemType) -> dict[str, Pipeline]:
    """A linear model, a random forest and gradient boosting, each behind the same scaler."""
    if problem is ProblemType.REGRESSION:
        found: dict[str, Any] = {"ridge": Ridge(),
                                 "forest": RandomForestRegressor(n_estimators=50, random_state=0),
                                 "boosting": GradientBoostingRegressor(random_state=0)}  # fmt: skip
    else:
        found = {"logistic": LogisticRegression(max_iter=1000),
                 "forest": RandomForestClassifier(n_estimators=50, random_state=0),
                 "boosting": GradientBoostingClassifier(random_state=0)}  # fmt: skip
    return {name: make_pipeline(StandardScaler(), model) for name, model in found.items()}


class LocalAutoML:
    """createAutoMLJobV2, describeAutoMLJobV2 and stopAutoMLJob for one execution's AutoML job."""

    def __init__(self, s3: Any) -> None:
        self._s3 = s3
        self._jobs: dict[str, dict[str, Any]] = {}

    def create(self, params: dict[str, Any]) -> dict[str, Any]:
        """Train the candidates, keep the best, write its artifact; the job is complete when this returns."""
        name = str(params["AutoMLJobName"])
        tabular = params["AutoMLProblemTypeConfig"]["TabularJobConfig"]
        problem, metric = _PROBLEMS[tabular["ProblemType"]]
        objective = params.get("AutoMLJobObjective", {}).get("MetricName")
        metric = QualityMetric(_OBJECTIVES[objective]) if objective in _OBJECTIVES else metric
        with tempfile.TemporaryDirectory(prefix="mlops-automl-") as tmp:
            try:
                train, validation = self._tables(params, tabular["TargetAttributeName"], Path(tmp))
                best = _best(train, validation, problem, metric)
            except TrainingDataError as error:
                raise TaskFailedError(
                    "SageMaker.AmazonSageMakerException", f"AutoML job {name}: {error}"
                ) from None
            artifact = Path(tmp) / "model.tar.gz"
            write_artifact(best.model, artifact)
            output = str(params["OutputDataConfig"]["S3OutputPath"]).rstrip("/")
            bucket, prefix = split_s3_uri(f"{output}/{name}/candidates/{best.name}/model.tar.gz")
            self._s3.upload_file(str(artifact), bucket, prefix)
        arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:automl-job/{name.lower()}"
        url, environment = f"s3://{bucket}/{prefix}", candidate_environment(best.name, problem)
        self._jobs[name] = _described(name, arn, best, url, objective or "", environment)
        return {"AutoMLJobArn": arn}

    def describe(self, params: dict[str, Any]) -> dict[str, Any]:
        """The job as DescribeAutoMLJobV2 reports it (completed: the stand-in runs synchronously)."""
        name = str(params["AutoMLJobName"])
        if name not in self._jobs:
            raise TaskFailedError("SageMaker.ResourceNotFoundException", f"no AutoML job named {name}")
        return self._jobs[name]

    def stop(self, params: dict[str, Any]) -> dict[str, Any]:
        """Nothing to stop: the local job has already ended."""
        return {}

    def _tables(self, params: dict[str, Any], target: str, folder: Path) -> tuple[Table, Table]:
        """The training rows and the validation rows (the validation channel, else a fifth of training)."""
        tables = {}
        for channel in params["AutoMLJobInputDataConfig"]:
            kind = str(channel.get("ChannelType", "training"))
            download_files(self._s3, channel["DataSource"]["S3DataSource"]["S3Uri"], folder / kind)
            tables[kind] = read_table(folder / kind, target)
        train = tables["training"]
        if "validation" in tables:
            return train, tables["validation"]
        cut = len(train.y) - max(1, len(train.y) // 5)
        order = np.random.default_rng(0).permutation(len(train.y))
        keep, hold = order[:cut], order[cut:]
        names = train.feature_names
        return Table(names, train.x[keep], train.y[keep]), Table(names, train.x[hold], train.y[hold])


def _best(train: Table, validation: Table, problem: ProblemType, metric: QualityMetric) -> Candidate:
    """Fit every candidate on the training rows; the best by the metric on the validation rows."""
    scored = []
    for name, model in _candidates(problem).items():
        model.fit(train.x, train.y)
        score = held_out_metrics(model, validation, problem).get(str(metric))
        if score is not None:
            scored.append(Candidate(name, model, float(score)))
    if not scored:
        raise TrainingDataError(f"no candidate could be scored by {metric} on the validation rows")
    lower = natural_direction(metric) is Direction.MINIMIZE
    return min(scored, key=lambda c: c.score) if lower else max(scored, key=lambda c: c.score)


def candidate_environment(model_name: str, problem: ProblemType) -> dict[str, str]:
    """The container variables of the stand-in's candidate, shaped like an ensembling candidate's."""
    environment = serving_environment("inference.py") | {
        "MODEL_NAME": model_name,
        "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
    }
    if problem is ProblemType.REGRESSION:  # a regressor answers its score only
        return environment
    return environment | {
        "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label",
        "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,labels,probabilities",
    }


def _described(
    name: str, arn: str, best: Candidate, model_url: str, objective: str, environment: dict[str, str]
) -> dict[str, Any]:
    """DescribeAutoMLJobV2's answer for the completed job (botocore's shape; what the pipeline reads)."""
    image = resolve_image("sklearn", supported_versions("sklearn")[-1], REGION, "cpu")
    assert isinstance(image, str)  # the table always has scikit-learn images for the local region
    container = {"Image": image, "ModelDataUrl": model_url, "Environment": environment}
    metric = {"MetricName": objective or "Objective", "Value": best.score}
    candidate = {
        "CandidateName": f"{name}-{best.name}",
        "FinalAutoMLJobObjectiveMetric": metric,
        "ObjectiveStatus": "Succeeded",
        "CandidateStatus": "Completed",
        "InferenceContainers": [container],
        "CandidateProperties": {"CandidateMetrics": [{**metric, "Set": "Validation"}]},
    }
    return {"AutoMLJobName": name, "AutoMLJobArn": arn, "AutoMLJobStatus": "Completed",
            "AutoMLJobSecondaryStatus": "Completed", "BestCandidate": candidate}  # fmt: skip
