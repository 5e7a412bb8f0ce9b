"""The closed loop in local mode: drift starts the synthesized training pipeline, whose result is registered,
deployed and approved like an upload; the brakes, the unchanged-input rule and the champion gate hold.

The specs are config/local-training/*.json (the session's app is synthesized with them: tests/e2e/conftest).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from lambdas.training_run.history import RunHistory, read_history
from mlops_config.model import TrainingSettings
from mlops_local.demo import drift_input
from mlops_local.demo_model import shifted_rows
from mlops_local.pipeline_calls import Execution
from mlops_local.session import LocalOrchestrator
from mlops_local.state_machine import MachineRun
from mlops_local.traffic import send_rows
from mlops_local.training_setup import DATA_BUCKET, stage_training_data
from stacks.training_specs import TrainingSpecError, load_training_specs
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import executions_of

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]

DRIFTING = "breast-cancer"  # retrained on drift at once; a worse challenger is stopped
LENIENT = "bc-lenient"  # drift waits 24 hours after any run; a worse challenger still asks for approval
FIRST_ROWS, MORE_ROWS = 200, 320  # f1 on the held-out rows: 0.972 with the first 200, 0.981 with 320
WORSE = 0.3  # a share of flipped labels: f1 0.88, above the 0.8 threshold, below the champion


def _manual_run(local: LocalOrchestrator, model: str, **settle: Any) -> MachineRun:
    """Start a manual run (no brakes), settle, return the run."""
    arn = local.training.start(model)
    local.settle(**settle)
    (run,) = [r for r in local.training.runs if r.execution_arn == arn]
    return run


def _history(local: LocalOrchestrator, model: str) -> RunHistory:
    return read_history(local.aws.client("s3"), local.outputs["ReportsBucketName"], model)


def _manifest(local: LocalOrchestrator, model: str, version: str) -> dict[str, Any]:
    body = local.aws.client("s3").get_object(
        Bucket=local.registry_bucket, Key=f"models/{model}/{version}/manifest.json"
    )["Body"]
    document: dict[str, Any] = json.loads(body.read())
    return document


def _last_execution(local: LocalOrchestrator, model: str) -> Execution:
    return executions_of(local, model)[-1]


@dataclass(frozen=True)
class Retrained:
    """The drifting model: its first version, and the drift-triggered run that replaced it."""

    first: MachineRun
    drift_run: MachineRun
    first_version: str
    version: str


@pytest.fixture(scope="module")
def retrained(local: LocalOrchestrator) -> Iterator[Retrained]:
    """First version trained and deployed; more data lands; shifted traffic; the drift check runs."""
    s3 = local.aws.client("s3")
    stage_training_data(s3, DRIFTING, rows=FIRST_ROWS)
    first = _manual_run(local, DRIFTING)
    first_version = first.output["run"]["runName"]
    execution = _last_execution(local, DRIFTING)
    stage_training_data(s3, DRIFTING, rows=MORE_ROWS)
    endpoint = f"{DRIFTING}-production"
    send_rows(local.aws.client("sagemaker-runtime"), endpoint, shifted_rows(300, seed=2), batch_size=50)
    started = len(local.training.runs)
    outcome = local.drift_check(drift_input(local, execution, endpoint))
    assert outcome["status"] == "drift", outcome
    (drift_run,) = local.training.runs[started:]
    yield Retrained(first, drift_run, first_version, drift_run.output["run"]["runName"])


def test_drift_retrains_and_the_new_version_reaches_production(local, retrained):
    # Given a deployed model whose spec opts in to drift, when the drift check finds drift,
    # then the synthesized rule started a drift run, which passed evaluation and was published
    assert retrained.first.status == "SUCCEEDED", retrained.first.cause
    assert retrained.drift_run.input == {"trigger": "drift"}
    assert retrained.drift_run.states[-2:] == ["NotifyPublished", "Published"]
    # and the register function, the pipeline and the approval took it to production
    execution = _last_execution(local, DRIFTING)
    assert execution.variables["ModelVersion"] == retrained.version != retrained.first_version
    assert execution.status == "Succeeded", execution.actions[-1].message
    endpoint = local.runner.endpoints[f"{DRIFTING}-production"]
    assert endpoint.drift_input is not None and endpoint.drift_input["model_version"] == retrained.version
    # with its lineage: the first version is the champion it beat on the same held-out data
    comparison = _manifest(local, DRIFTING, retrained.version)["lineage"]["comparison"]
    assert comparison["champion_version"] == retrained.first_version
    assert comparison["verdict"] == "better" and comparison["challenger_score"] > comparison["champion_score"]


@pytest.fixture(scope="module")
def lenient_champion(local: LocalOrchestrator) -> MachineRun:
    """The lenient model's first run, published and deployed."""
    stage_training_data(local.aws.client("s3"), LENIENT, rows=FIRST_ROWS)
    run = _manual_run(local, LENIENT)
    assert run.status == "SUCCEEDED", run.cause
    return run


def test_an_unchanged_run_is_skipped_and_reported(local, lenient_champion):
    # Given a published run of the lenient model
    deployments = len(executions_of(local, LENIENT))
    local.notifications()
    # When it is run again on the same data, code and hyperparameters
    again = _manual_run(local, LENIENT)
    # Then it is skipped before any job, recorded and notified as skipped, and nothing is deployed
    assert again.states[-2:] == ["NotifySkipped", "Skipped"] and "Train" not in again.states
    record = _history(local, LENIENT).find(again.output["run"]["runName"])
    assert again.output["run"]["verdict"] == "unchanged"
    assert record.outcome == "skipped" and record.reason.startswith("same data, code and hyperparameters")
    notices = dict(local.notifications())
    assert json.loads(notices[f"Training skipped: {LENIENT}"])["reason"] == record.reason
    assert len(executions_of(local, LENIENT)) == deployments


def test_a_worse_challenger_is_stopped_without_asking_for_approval(local, retrained):
    # Given the drifting model's champion, when a run on worse data scores lower on the same held-out data
    stage_training_data(local.aws.client("s3"), DRIFTING, rows=MORE_ROWS, flipped=WORSE)
    deployments = len(executions_of(local, DRIFTING))
    questions: list[str] = []
    run = _manual_run(local, DRIFTING, approve=lambda q: questions.append(q) or True)
    # Then the run stops at the gate: nothing is published, registered or put to approval
    assert run.status == "FAILED" and run.error == "EvaluationGate"
    assert "Publish" not in run.states
    assert len(executions_of(local, DRIFTING)) == deployments and questions == []
    record = _history(local, DRIFTING).find(run.output["run"]["runName"])
    assert record.outcome == "below_threshold" and "worse than the champion" in record.reason


def test_drift_inside_the_cool_down_is_refused(local, lenient_champion):
    # Given a run of the lenient model moments ago (its drift trigger waits 24 hours after any run)
    local.notifications()
    detail = {"model_name": LENIENT, "endpoint_name": f"{LENIENT}-production", "status": "drift"}
    entry = {"Source": "mlops.orchestrator", "DetailType": "ModelDriftDetected", "Detail": json.dumps(detail)}
    started = len(local.training.runs)
    # When drift is reported for it on the orchestrator's bus
    local.aws.client("events").put_events(Entries=[{**entry, "EventBusName": local.outputs["EventBusName"]}])
    local.settle()
    # Then the synthesized rule started a run, and Prepare refused it for the cool-down, saying so
    (run,) = local.training.runs[started:]
    assert run.input == {"trigger": "drift"}
    assert run.status == "SUCCEEDED" and run.states[-2:] == ["NotifySkipped", "Skipped"]
    assert "Train" not in run.states
    record = _history(local, LENIENT).find(run.output["run"]["runName"])
    assert record.outcome == "skipped" and "cool-down" in record.reason
    assert f"Training skipped: {LENIENT}" in dict(local.notifications())


def test_a_worse_challenger_asks_for_approval_when_the_spec_allows_it(local, lenient_champion):
    # Given the lenient model's champion
    stage_training_data(local.aws.client("s3"), LENIENT, rows=MORE_ROWS, flipped=WORSE)
    questions: list[str] = []
    # When a worse challenger runs (the approver says no, so production keeps the champion)
    run = _manual_run(local, LENIENT, approve=lambda q: questions.append(q) or False)
    # Then it is published and deployed to staging, and the production approval shows the comparison
    assert run.states[-2:] == ["NotifyPublished", "Published"]
    (question,) = questions
    champion = lenient_champion.output["run"]["runName"]
    assert run.output["run"]["runName"] in question
    assert f"Champion/challenger: worse than champion {champion}: f1 0.8" in question
    assert _last_execution(local, LENIENT).status == "Failed"


def test_a_bad_training_spec_is_rejected_with_every_problem(tmp_path):
    # Given a spec with four independent problems
    spec = _bad_spec()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    settings = TrainingSettings(specs=["bad.json"], allowed_prefixes=[f"s3://{DATA_BUCKET}/"])
    # When synthesis loads it, then every problem is named with the file and its field path
    with pytest.raises(TrainingSpecError) as refused:
        load_training_specs(settings, tmp_path)
    message = str(refused.value)
    assert "4 problem(s)" in message
    for field in (
        "evaluation.threshold",
        "channels[0].uri",
        "resources.instance_type",
        "retraining.drift.per",
    ):
        assert f"bad.json: {field}: found" in message, message


def _bad_spec() -> dict[str, Any]:
    """The demo spec with an unreachable threshold, a channel outside the allowed prefixes, an unknown
    instance type and an unknown period."""
    spec: dict[str, Any] = json.loads(
        (REPO_ROOT / "config" / "local-training" / f"{DRIFTING}.json").read_text()
    )
    spec["evaluation"]["threshold"] = 1.5
    spec["channels"][0]["uri"] = "s3://somebody-elses-bucket/data/"
    spec["resources"]["instance_type"] = "ml.huge.nothing"
    spec["retraining"]["drift"]["per"] = "fortnight"
    return spec
