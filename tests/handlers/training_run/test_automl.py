"""AutoML runs: the candidate step turns DescribeAutoMLJobV2's answer into the trained model, and Publish
registers it with the candidate's image, environment and lineage."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lambdas.training_run.errors import TrainingRunError
from mlops_manifest.validate import validate_manifest
from tests.handlers.training_run.conftest import REGISTRY, REPORTS, World, tar_gz

JOB_ARN = "arn:aws:sagemaker:us-east-1:123456789012:automl-job/churn-260302-120000"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
MODEL = f"s3://{REPORTS}/training/churn/jobs/churn-260302-120000/ensemble/model.tar.gz"
# An ensembling-mode candidate's container variables (AWS: "Configure inference output in generated
# containers").
SERVING = {
    "SAGEMAKER_PROGRAM": "tabular_serve.py",
    "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    "MODEL_NAME": "WeightedEnsemble_L3",
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
    "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label",
    "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,labels,probabilities",
}


def described(**changes: Any) -> dict[str, Any]:
    """DescribeAutoMLJobV2 of a completed ensembling job (botocore's output shape)."""
    candidate = {
        "CandidateName": "WeightedEnsemble-L3",
        "FinalAutoMLJobObjectiveMetric": {"MetricName": "F1", "Value": 0.93},
        "InferenceContainers": [{"Image": IMAGE, "ModelDataUrl": MODEL, "Environment": SERVING}],
        "CandidateProperties": {
            "CandidateMetrics": [{"MetricName": "F1", "Value": 0.93, "Set": "Validation"}]
        },
    }
    return {
        "AutoMLJobName": "churn-260302-120000",
        "AutoMLJobArn": JOB_ARN,
        "AutoMLJobStatus": "Completed",
        "AutoMLJobSecondaryStatus": "Completed",
        "BestCandidate": candidate,
    } | changes


@pytest.fixture
def automl(world: World) -> World:
    world.spec["job"] = {
        "kind": "automl",
        "problem_type": "binary_classification",
        "target_column": "churned",
    }
    world.spec["evaluation"] = {
        "metric": "accuracy",
        "threshold": 0.5,
        "held_out_uri": "s3://ml-data/datasets/churn/held-out.csv",
    }
    return world


def test_the_best_candidate_becomes_the_trained_model(automl: World) -> None:
    trained = automl.step({"action": "candidate", "job": described()})
    assert trained == {
        "jobName": "churn-260302-120000",
        "jobArn": JOB_ARN,
        "artifactUri": MODEL,
        "imageUri": IMAGE,
        "environment": SERVING,
        "candidateName": "WeightedEnsemble-L3",
        "objectiveMetric": "F1",
        "objectiveValue": 0.93,
        "metrics": {"validation:F1": 0.93},
    }


def test_a_failed_job_fails_the_run_with_its_reason(automl: World) -> None:
    job = described(AutoMLJobStatus="Failed", AutoMLJobSecondaryStatus="Failed", FailureReason="no rows")
    with pytest.raises(TrainingRunError, match=r"AutoML job churn-260302-120000 ended Failed: no rows"):
        automl.step({"action": "candidate", "job": job})


def test_more_than_one_serving_container_is_refused(automl: World) -> None:
    job = described()
    container = job["BestCandidate"]["InferenceContainers"][0]
    job["BestCandidate"]["InferenceContainers"] = [container, container]
    with pytest.raises(TrainingRunError, match=r"has 2 inference containers; the pipeline registers one"):
        automl.step({"action": "candidate", "job": job})


def test_a_variable_the_blueprint_cannot_pass_refuses_the_candidate_before_scoring(automl: World) -> None:
    job = described()
    unknown = {"AUTOML_TRANSFORM_MODE": "feature-transform"}
    job["BestCandidate"]["InferenceContainers"][0]["Environment"] = SERVING | unknown
    with pytest.raises(TrainingRunError) as refused:
        automl.step({"action": "candidate", "job": job})
    message = str(refused.value)
    assert "environment.AUTOML_TRANSFORM_MODE: found 'AUTOML_TRANSFORM_MODE'; allowed: one of" in message
    assert "SAGEMAKER_INFERENCE_OUTPUT" in message and "MODEL_NAME" in message


def test_a_value_the_pipeline_cannot_carry_refuses_the_candidate_before_scoring(automl: World) -> None:
    job = described()
    job["BestCandidate"]["InferenceContainers"][0]["Environment"] = SERVING | {"MODEL_NAME": "a\tb"}
    with pytest.raises(
        TrainingRunError, match=r"environment.MODEL_NAME: found 'a\\tb'; allowed: 1-256 printable"
    ):
        automl.step({"action": "candidate", "job": job})


def test_publish_registers_the_candidate_with_its_environment_and_lineage(automl: World) -> None:
    run = automl.prepare()
    assert run["imageUri"] == "sagemaker-autopilot"
    key = run["evaluationOutputUri"].removeprefix(f"s3://{REPORTS}/") + "features.csv.out"
    automl.put(REPORTS, key, b"1\n0\n1\n0\n")
    evaluation = automl.step({"action": "evaluate", "run": run})
    trained = automl.step({"action": "candidate", "job": described()})
    automl.put(REPORTS, MODEL.removeprefix(f"s3://{REPORTS}/"), tar_gz({"model.joblib": b"w"}))
    automl.step({"action": "publish", "run": run, "trainedJobName": trained["jobName"],
                 "evaluation": evaluation, "artifactUri": trained["artifactUri"], "candidate": trained,
                 "executionArn": "arn:aws:states:us-east-1:123456789012:execution:sm:run"})  # fmt: skip
    raw = automl.read(REGISTRY, f"models/churn/{run['runName']}/manifest.json")
    assert not isinstance(validate_manifest(raw), list)
    manifest = json.loads(raw)
    assert manifest["image_uri"] == IMAGE and manifest["environment"] == SERVING
    lineage = manifest["lineage"]
    assert lineage["training_job_name"] == "churn-260302-120000" and lineage["training_image_uri"] == IMAGE
    assert lineage["automl"] == {"job_arn": JOB_ARN, "candidate_name": "WeightedEnsemble-L3",
                                 "objective_metric": "F1", "objective_value": 0.93}  # fmt: skip
    assert lineage["metrics"] == {"validation:F1": 0.93, "held_out_accuracy": 1.0}
    assert lineage["hyperparameters"] == {}  # Autopilot chose them; the job ARN leads to them
