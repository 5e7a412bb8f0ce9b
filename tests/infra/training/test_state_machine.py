"""The churn pipeline's states: order, skip branch, failure handling, and the jobs the spec asks for."""

from typing import Any

from tests.infra.training.conftest import TrainingApp

SUCCESS_PATH = [
    "Prepare", "RunOrSkip", "Tune", "LocateArtifact", "CreateEvaluationModel", "ScoreHeldOut",
    "DeleteEvaluationModel", "DeleteEvaluationModelCall", "Evaluate", "PassedEvaluation", "Publish",
    "NotifyPublished", "Published",
]  # fmt: skip


def _follow(states: dict[str, Any], start: str) -> list[str]:
    """States from `start`: a Choice takes its run branch (RunOrSkip's default, else its first rule)."""
    path, name = [], start
    while name:
        path.append(name)
        state = states[name]
        if state["Type"] != "Choice":
            name = state.get("Next")
        elif name == "RunOrSkip":
            name = state["Default"]
        else:  # the evaluation model exists; the evaluation passed
            name = state["Choices"][0]["Next"]
    return path


def test_a_run_goes_prepare_tune_evaluate_publish_in_order(training_app: TrainingApp) -> None:
    definition = training_app.definition()
    assert definition["StartAt"] == "Prepare"
    assert _follow(definition["States"], "Prepare") == SUCCESS_PATH


def test_a_skipped_run_notifies_and_succeeds_as_skipped(training_app: TrainingApp) -> None:
    states = training_app.definition()["States"]
    (skip,) = [c for c in states["RunOrSkip"]["Choices"] if c["StringEquals"] == "skip"]
    assert skip["Variable"] == "$.run.decision" and skip["Next"] == "NotifySkipped"
    assert states[states["NotifySkipped"]["Next"]] == {"Type": "Succeed"}


def test_every_step_after_prepare_fails_into_clean_up_record_and_notify(training_app: TrainingApp) -> None:
    states = training_app.definition()["States"]
    for name in ("Tune", "CreateEvaluationModel", "ScoreHeldOut", "Evaluate", "Publish"):
        assert [c["Next"] for c in states[name]["Catch"]] == ["CleanUpAfterFailure"], name
    assert states["CleanUpAfterFailureCall"]["Next"] == "RecordFailure"
    assert states["RecordFailure"]["Next"] == "NotifyFailed"
    assert states["NotifyFailed"]["Next"] == "RunFailed" and states["RunFailed"]["Type"] == "Fail"


def test_a_stopped_evaluation_notifies_and_fails(training_app: TrainingApp) -> None:
    states = training_app.definition()["States"]
    assert states["PassedEvaluation"]["Default"] == "NotifyStopped"
    assert states[states["NotifyStopped"]["Next"]]["Error"] == "EvaluationGate"


def test_tuning_runs_managed_spot_with_checkpoints_as_the_spec_asks(training_app: TrainingApp) -> None:
    tune = training_app.definition()["States"]["Tune"]
    assert tune["Resource"].endswith(":states:::sagemaker:createHyperParameterTuningJob.sync")
    job = tune["Parameters"]["TrainingJobDefinition"]
    assert job["EnableManagedSpotTraining"] is True
    assert job["CheckpointConfig"] == {"S3Uri": "s3://ml-data-example/checkpoints/churn/"}
    assert job["StoppingCondition"] == {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 14400}
    assert job["StaticHyperParameters"]["sagemaker_program"] == "train.py"
    ranges = tune["Parameters"]["HyperParameterTuningJobConfig"]["ParameterRanges"]
    assert ranges["ContinuousParameterRanges"] == [
        {"Name": "C", "MinValue": "0.001", "MaxValue": "100.0", "ScalingType": "Logarithmic"}
    ]


def test_the_evaluation_model_is_network_isolated(training_app: TrainingApp) -> None:
    create = training_app.definition()["States"]["CreateEvaluationModel"]
    assert create["Parameters"]["EnableNetworkIsolation"] is True
    assert create["Parameters"]["PrimaryContainer"]["ModelDataUrl.$"] == "$.trained.artifactUri"
