"""The churn-automl pipeline (examples/training/churn-automl.json): Autopilot V2 started, polled and stopped
through the SDK integration, its best candidate scored and published, IAM scoped to the run names."""

from typing import Any

import pytest

from tests.infra.iam_helpers import as_list, granting, role_statements, text
from tests.infra.training.conftest import TrainingApp

MODEL = "churn-automl"
MACHINE_ROLE, JOB_ROLE = "TrainingchurnautomlStateMachineRole", "TrainingchurnautomlJobRole"


@pytest.fixture(scope="module")
def states(training_app: TrainingApp) -> dict[str, Any]:
    found: dict[str, Any] = training_app.definition(MODEL)["States"]
    return found


def test_autopilot_v2_starts_in_ensembling_mode_named_after_the_run(states: dict[str, Any]) -> None:
    start = states["StartAutoML"]
    assert start["Resource"].endswith(":states:::aws-sdk:sagemaker:createAutoMLJobV2")
    assert start["Parameters"]["AutoMLJobName.$"] == "$.run.runName"
    tabular = start["Parameters"]["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert (tabular["Mode"], tabular["CompletionCriteria"]["MaxCandidates"]) == ("ENSEMBLING", 20)


def test_the_run_waits_then_describes_until_the_job_ends(states: dict[str, Any]) -> None:
    assert (
        states["RunOrSkip"]["Default"] == "StartAutoML" and states["StartAutoML"]["Next"] == "WaitForAutoML"
    )
    assert states["WaitForAutoML"] == {"Type": "Wait", "Seconds": 300, "Next": "DescribeAutoML"}
    assert states["DescribeAutoML"]["Resource"].endswith(":aws-sdk:sagemaker:describeAutoMLJobV2")
    ended, _ = states["AutoMLEnded"]["Choices"]
    assert sorted(rule["StringEquals"] for rule in ended["Or"]) == ["Completed", "Failed", "Stopped"]
    assert ended["Next"] == "BestCandidate" and states["AutoMLEnded"]["Default"] == "CountPoll"
    assert states["CountPoll"]["Next"] == "WaitForAutoML"


def test_a_job_past_its_limit_and_an_hour_is_stopped_and_the_run_fails(states: dict[str, Any]) -> None:
    (_, too_long) = states["AutoMLEnded"]["Choices"]
    assert too_long == {"Variable": "$.automlJob.polls", "NumericGreaterThanEquals": 60, "Next": "StopAutoML"}
    assert states["StopAutoML"]["Resource"].endswith(":aws-sdk:sagemaker:stopAutoMLJob")
    assert states["StopAutoML"]["Next"] == states["StopAutoML"]["Catch"][0]["Next"] == "AutoMLTimedOut"
    assert states["AutoMLTimedOut"]["Result"]["Error"] == "AutoMLTimeout"
    assert states["AutoMLTimedOut"]["Next"] == "CleanUpAfterFailure"


def test_starting_describing_and_the_candidate_step_fail_into_clean_up(states: dict[str, Any]) -> None:
    for name in ("StartAutoML", "DescribeAutoML", "BestCandidate"):
        assert [c["Next"] for c in states[name]["Catch"]] == ["CleanUpAfterFailure"], name


def test_the_candidate_is_scored_with_its_own_image_and_environment(states: dict[str, Any]) -> None:
    assert states["BestCandidate"]["Next"] == "CreateEvaluationModel"
    container = states["CreateEvaluationModel"]["Parameters"]["PrimaryContainer"]
    assert container == {
        "Image.$": "$.trained.imageUri",
        "ModelDataUrl.$": "$.trained.artifactUri",
        "Environment.$": "$.trained.environment",
    }


def test_publish_receives_the_candidate(states: dict[str, Any]) -> None:
    assert states["Publish"]["Parameters"]["candidate.$"] == "$.trained"


def test_the_state_machine_controls_only_this_models_automl_jobs(training_app: TrainingApp) -> None:
    statements = role_statements(training_app.template, MACHINE_ROLE)
    (create,) = granting(statements, "sagemaker:CreateAutoMLJobV2")
    assert set(as_list(create["Action"])) == {
        "sagemaker:CreateAutoMLJobV2", "sagemaker:DescribeAutoMLJobV2", "sagemaker:StopAutoMLJob"
    }  # fmt: skip
    assert text(create["Resource"]).endswith(':automl-job/churn-automl-*"]]}')
    assert granting(statements, "sagemaker:CreateTrainingJob") == []
    rules = text(granting(statements, "events:PutRule"))  # the transform's .sync rule only: AutoML is polled
    assert "TransformJobsRule" in rules and "TrainingJobsRule" not in rules and "TuningJobsRule" not in rules


def test_autopilots_own_jobs_are_limited_to_the_run_names(training_app: TrainingApp) -> None:
    statements = role_statements(training_app.template, JOB_ROLE)
    (children,) = granting(statements, "sagemaker:CreateTrainingJob")
    resources = [text(r) for r in as_list(children["Resource"])]
    assert len(resources) == 3 and all(r.endswith('-job/churn-automl-*"]]}') for r in resources), resources
    (passes,) = granting(statements, "iam:PassRole")
    assert JOB_ROLE in text(passes["Resource"])
    assert passes["Condition"]["StringEquals"]["iam:PassedToService"] == "sagemaker.amazonaws.com"
