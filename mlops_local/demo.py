"""`mlops local demo`: the whole flow on this machine, from an empty local AWS to a drift report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdas.common.environment import ENV_REPORTS_BUCKET
from mlops_local.assembly import Assembly, cached_assembly
from mlops_local.demo_model import DemoModel, build_demo_model, normal_labels, normal_rows, shifted_rows
from mlops_local.demo_quality import quality_step
from mlops_local.event_router import Delivery
from mlops_local.pipeline_calls import ActionResult, Execution
from mlops_local.pipeline_runner import Approver
from mlops_local.session import DRIFT_HANDLER, LocalOrchestrator
from mlops_local.steps import Echo, Steps
from mlops_local.traffic import TrafficResult, send_rows
from mlops_local.upload import push_model

PRODUCTION = "production"
LOCAL_MULTI_ACCOUNT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "local-multi-account.toml"
# Accounts -> (config, cache folder under the work dir); None: the default config, cached in the work dir.
DEMO_CONFIGS: dict[int, tuple[Path | None, str | None]] = {
    1: (None, None),
    3: (LOCAL_MULTI_ACCOUNT_CONFIG, "multi-account"),
}
TRAFFIC_ROWS = 1000
TRAFFIC_BATCH = 50  # rows a request
# The held-out rows the normal traffic is drawn from are only ~170, so their own sampling noise puts a
# few features near KS 0.1 (the schema's default); the demo's data scientist sets thresholds that
# tolerate it, while the shifted features land far above (KS 0.45-0.9).
DEMO_THRESHOLDS = {"ks_distance": 0.2, "psi": 0.3, "js_distance": 0.2}


def drift_input(local: LocalOrchestrator, execution: Execution, endpoint: str) -> dict[str, Any]:
    """The drift schedule's input from the deployed blueprint, else built from the pipeline variables."""
    deployed = local.runner.endpoints.get(endpoint)
    if deployed is not None and deployed.drift_input is not None:
        return deployed.drift_input
    variables = execution.variables
    return {
        "endpoint_name": endpoint,
        "model_name": variables["ModelName"],
        "model_version": variables["ModelVersion"],
        "baseline": {"bucket": local.registry_bucket, "key": variables["BaselineProfileKey"]},
        "capture": {"bucket": local.outputs["DataCaptureBucketName"], "prefix": "capture"},
    }


def _register(local: LocalOrchestrator, steps: Steps, model: DemoModel) -> None:
    """Push the model and deliver the S3 event to the register function."""
    manifest = json.loads(model.manifest.read_text())
    manifest["monitoring"]["thresholds"] = DEMO_THRESHOLDS
    model.manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    with steps.step("push baseline, artifact, then manifest to the registry bucket") as out:
        key = push_model(
            local.aws.client("s3"), local.registry_bucket, model.artifact, manifest, model.baseline
        )
        out.append(f"s3://{local.registry_bucket}/{key}")
    with steps.step("S3 Object Created -> rule ManifestUploaded -> register function") as out:
        deliveries = local.router.drain()
        local.deliveries.extend(deliveries)
        out.extend(delivery_summary(delivery) for delivery in deliveries)


def delivery_summary(delivery: Delivery) -> str:
    """`<function>: <status> <what>` for one delivery."""
    name = (
        delivery.function.split("Function")[0].removeprefix("Registration").removeprefix("DeploymentTriggers")
    )
    if delivery.error:
        return f"{name} raised {delivery.error}"
    result = delivery.result if isinstance(delivery.result, dict) else {}
    what = result.get("model_package_arn") or result.get("report_key") or result.get("pipeline") or ""
    return f"{name} {result.get('status')} {str(what).rsplit(':', 1)[-1]}"


def _deploy(local: LocalOrchestrator, steps: Steps, approve: Approver) -> Execution:
    """Run the pipeline the registration started, one printed line per action."""
    for event in local.router.bus_events:
        steps.note(f"event {event['detail-type']} on the orchestrator bus")

    def progress(result: ActionResult) -> None:
        steps.line(
            f"pipeline {result.stage}/{result.action}: {result.message}", result.seconds, result.succeeded
        )

    executions = local.settle(approve=approve, progress=progress)
    if not executions or executions[-1].status != "Succeeded":
        raise RuntimeError("the deployment pipeline did not succeed")
    return executions[-1]


def _approval(local: LocalOrchestrator, steps: Steps, execution: Execution) -> None:
    """Show the package's approval and the ModelDeployed event."""
    with steps.step("model registry") as out:
        arn = execution.variables["ModelPackageArn"]
        package = local.aws.client("sagemaker").describe_model_package(ModelPackageName=arn)
        out.append(f"{arn.split('/', 1)[1]} is {package['ModelApprovalStatus']}")
        deployed = [e["detail-type"] for e in local.router.bus_events if e["detail-type"] == "ModelDeployed"]
        out.append(f"{len(deployed)} ModelDeployed event")
        out.extend(f"notified '{subject}'" for subject, _ in local.notifications())


def _traffic(
    local: LocalOrchestrator, steps: Steps, endpoint: str, rows: list[list[float]], label: str
) -> TrafficResult:
    """Send traffic to the endpoint, TRAFFIC_BATCH rows a request."""
    with steps.step(f"{label} traffic to {endpoint}") as out:
        result = send_rows(local.aws.client("sagemaker-runtime"), endpoint, rows, batch_size=TRAFFIC_BATCH)
        out.append(f"{result.rows_sent} rows in {result.requests} requests, captured to S3")
    return result


def _drift(local: LocalOrchestrator, steps: Steps, execution: Execution, endpoint: str) -> dict[str, Any]:
    """Run the real drift check over what was captured since the last one."""
    with steps.step("drift check") as out:
        outcome = local.drift_check(drift_input(local, execution, endpoint))
        out.append(f"status {outcome['status']} over {outcome['records']} captured records")
    return outcome


def _synthesize(steps: Steps, work_dir: Path, retrain: bool, accounts: int) -> Assembly:
    """The demo's app: synthesized once per source change, each config cached in a folder of its own."""
    from mlops_local.demo_retrain import LOCAL_TRAINING_CONFIG

    if accounts not in DEMO_CONFIGS:
        raise ValueError(f"the demo runs in 1 or 3 accounts, not {accounts}")
    if retrain and accounts != 1:
        raise ValueError("the retraining demo runs in one account: leave out --accounts")
    with steps.step("synthesize the CDK app (cached by source hash)") as out:
        config, cache = (LOCAL_TRAINING_CONFIG, "retrain") if retrain else DEMO_CONFIGS[accounts]
        assembly, reused = cached_assembly(work_dir / cache, config) if cache else cached_assembly(work_dir)
        out.append("reused" if reused else f"written to {assembly.outdir}")
    return assembly


def run_demo(
    work_dir: Path, echo: Echo, approve: Approver | None = None, *, retrain: bool = False, accounts: int = 1
) -> Path:
    """Run every step, printing one line each; return the local path of the last drift report.

    `approve` answers the pipeline's approval actions (a prompt in interactive mode); default: approve.
    `retrain`: the closed loop instead (mlops_local.demo_retrain), on its own cached app.
    `accounts` 3: tooling, pre-production and production accounts (config/local-multi-account.toml).
    """
    from mlops_local.demo_retrain import retrain_flow  # it builds on this module

    steps = Steps(echo)
    local = LocalOrchestrator(_synthesize(steps, work_dir, retrain, accounts))
    try:
        with steps.step("start local AWS (moto), the endpoint emulator, the template's resources") as out:
            local.start()
            out.append(f"{local.aws.url}; {len(local.resources.physical)} template resources mapped")
        for stage in local.stages:
            steps.note(
                f"stage account {stage.account}: {stage.stack}, {len(stage.resources.physical)} resources"
            )
        flow = retrain_flow if retrain else _flow
        return flow(local, steps, work_dir, approve or (lambda _question: True))
    finally:
        local.stop()


def _flow(local: LocalOrchestrator, steps: Steps, work_dir: Path, approve: Approver) -> Path:
    """Everything after start-up."""
    with steps.step("train the demo model (scikit-learn breast-cancer data)") as out:
        model = build_demo_model(work_dir / "model")
        out.append(f"{model.model_name} {model.version}, sha256 {model.sha256[:12]}...")
    _register(local, steps, model)
    execution = _deploy(local, steps, approve)
    _approval(local, steps, execution)
    endpoint = f"{execution.variables['ModelName']}-{PRODUCTION}"
    sent = _traffic(local, steps, endpoint, normal_rows(TRAFFIC_ROWS), "normal")
    _drift(local, steps, execution, endpoint)
    quality_step(local, steps, endpoint, sent, normal_labels(TRAFFIC_ROWS), TRAFFIC_BATCH)
    _traffic(local, steps, endpoint, shifted_rows(TRAFFIC_ROWS, seed=2), "shifted")
    outcome = _drift(local, steps, execution, endpoint)
    check = local.check_function(endpoint, DRIFT_HANDLER)  # its report is in the check's own account
    html_key = str(outcome["report_key"]).removesuffix(".json") + ".html"
    reports = check.environment[ENV_REPORTS_BUCKET]
    report = local.download(reports, html_key, work_dir / "drift-report.html", local.clients_for(check))
    steps.note(f"drift report: {report}")
    for subject, message in local.notifications():
        steps.note(f"notification '{subject}':" if subject else "notification (from an event rule):")
        for text in message.splitlines():
            steps.note(f"  {text}")
    for event in local.router.arrivals:
        steps.note(f"forwarded to the tooling bus from {event['account']}: {event['detail-type']}")
    return report
