"""`mlops local demo --retrain`: the closed loop. The first version comes from the training pipeline; drift
on its endpoint starts a retraining run whose result is evaluated against it, registered, deployed to
staging, approved and deployed to production, every step printed.

The app is synthesized with config/local-training.toml (the default config plus the demo model's training
spec, config/local-training/breast-cancer.json) and cached apart from the plain demo's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlops_local.demo import _approval, _deploy, _traffic, delivery_summary, drift_input
from mlops_local.demo_model import normal_rows, shifted_rows
from mlops_local.pipeline_calls import Execution
from mlops_local.pipeline_runner import Approver
from mlops_local.session import LocalOrchestrator
from mlops_local.state_machine import MachineRun
from mlops_local.steps import Steps
from mlops_local.training_setup import DATA_BUCKET, stage_training_data
from mlops_manifest.lineage import ChampionComparison, comparison_summary

LOCAL_TRAINING_CONFIG = Path(__file__).resolve().parent.parent / "config" / "local-training.toml"
MODEL = "breast-cancer"
FIRST_ROWS, MORE_ROWS = 200, 320  # labelled rows at first, and once more have arrived
TRAFFIC_ROWS = 600


def _run_line(run: MachineRun) -> str:
    """One line for a training run: trigger, outcome and the states it went through."""
    name = (run.output or {}).get("run", {}).get("runName", run.execution_arn.rsplit(":", 1)[-1])
    return f"training run {name} ({run.input.get('trigger')}): {run.status.lower()}"


def _training(local: LocalOrchestrator, steps: Steps) -> MachineRun:
    """Run the executions the triggers started, printing each one's states and evaluation."""
    with steps.step("training pipeline (Step Functions, as synthesized)") as out:
        runs = local.training.run_pending()
        if not runs:
            raise RuntimeError("no training run was started")
        out.append(_run_line(runs[-1]))
    run = runs[-1]
    steps.note(" -> ".join(run.states))
    evaluation = (run.output or {}).get("evaluation") or {}
    if evaluation:
        steps.note(f"evaluation: {evaluation['reason']}")
        comparison = ChampionComparison.model_validate(evaluation["comparison"])
        steps.note(f"champion/challenger: {comparison_summary(comparison)}")
    if run.status != "SUCCEEDED" or run.states[-1] != "Published":
        raise RuntimeError(f"the training run did not publish a version: {run.error} {run.cause}")
    return run


def _publish_and_deploy(local: LocalOrchestrator, steps: Steps, approve: Approver) -> Execution:
    """The published run's manifest -> register function -> pipeline -> production, printed."""
    local.router.bus_events.clear()  # the events of earlier steps were printed with them
    with steps.step("S3 Object Created (generated manifest) -> rule ManifestUploaded -> register") as out:
        deliveries = local.router.drain()
        local.deliveries.extend(deliveries)
        out.extend(delivery_summary(d) for d in deliveries if "ManifestUploaded" in d.rule)
    execution = _deploy(local, steps, approve)
    _approval(local, steps, execution)
    return execution


def retrain_flow(local: LocalOrchestrator, steps: Steps, work_dir: Path, approve: Approver) -> Path:
    """Everything after start-up; returns the local path of the drift report that started the retraining."""
    s3 = local.aws.client("s3")
    with steps.step(f"training data: {FIRST_ROWS} labelled rows, held-out rows, code archive") as out:
        stage_training_data(s3, MODEL, rows=FIRST_ROWS)
        out.append(f"s3://{DATA_BUCKET}/{MODEL}/")
    with steps.step("start the training pipeline (manual run)") as out:
        out.append(local.training.start(MODEL).rsplit(":", 2)[-2])
    _training(local, steps)
    first = _publish_and_deploy(local, steps, approve)
    endpoint = f"{MODEL}-production"
    with steps.step(f"more labelled data lands: {MORE_ROWS} rows in the train channel"):
        stage_training_data(s3, MODEL, rows=MORE_ROWS)
    _traffic(local, steps, endpoint, normal_rows(TRAFFIC_ROWS), "normal")
    _traffic(local, steps, endpoint, shifted_rows(TRAFFIC_ROWS, seed=2), "shifted")
    outcome = _drift(local, steps, first, endpoint)
    _training(local, steps)
    retrained = _publish_and_deploy(local, steps, approve)
    _summary(local, steps, retrained)
    reports = local.drift_function().environment["REPORTS_BUCKET_NAME"]
    html_key = str(outcome["report_key"]).removesuffix(".json") + ".html"
    return local.download(reports, html_key, work_dir / "drift-report.html")


def _drift(local: LocalOrchestrator, steps: Steps, execution: Execution, endpoint: str) -> dict[str, Any]:
    """The real drift check; its ModelDriftDetected goes through the synthesized rule to the pipeline."""
    with steps.step("drift check") as out:
        if local.aws.emulator is not None:
            local.aws.emulator.flush()
        outcome: dict[str, Any] = local.router.invoke(
            local.drift_function(), drift_input(local, execution, endpoint)
        )
        out.append(f"status {outcome['status']} over {outcome['records']} captured records")
    with steps.step(
        "ModelDriftDetected -> rule TrainingbreastcancerTriggersDriftRule -> StartExecution"
    ) as out:
        deliveries = local.router.drain()
        local.deliveries.extend(deliveries)
        out.extend(f"{d.function} started" for d in deliveries if "Training" in d.rule)
    return outcome


def _summary(local: LocalOrchestrator, steps: Steps, execution: Execution) -> None:
    """Which version serves production now, and the comparison the approver saw."""
    version = execution.variables["ModelVersion"]
    steps.note(f"production now serves {MODEL} {version}")
    steps.note(f"the approval request read: {execution.variables.get('Comparison', '')}")
