"""The demo's model-quality step: labels for the normal traffic arrive, then the real quality check runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from lambdas.common.environment import ENV_REPORTS_BUCKET
from mlops_local.ground_truth import record_ids, write_ground_truth
from mlops_local.session import QUALITY_HANDLER, LocalOrchestrator
from mlops_local.steps import Steps
from mlops_local.traffic import TrafficResult

SHOWN_METRICS = ("accuracy", "f1", "roc_auc")


def label_traffic(
    local: LocalOrchestrator, endpoint: str, sent: TrafficResult, labels: list[int], batch: int
) -> str:
    """Upload the true label of every record sent, keyed as the endpoint captured it; return the S3 URI."""
    request = quality_input(local, endpoint)
    ids = record_ids(sent.inference_ids, batch, sent.rows_sent)
    location = request["ground_truth"]
    pairs = list(zip(ids, labels[: sent.rows_sent], strict=True))
    s3 = local.clients_for(local.check_function(endpoint, QUALITY_HANDLER)).client(
        "s3"
    )  # the endpoint's account
    key = write_ground_truth(s3, location, endpoint, pairs, datetime.now(UTC))
    return f"s3://{location['bucket']}/{key}"


def quality_input(local: LocalOrchestrator, endpoint: str) -> dict[str, Any]:
    """The endpoint's model-quality schedule input, as its stack would schedule it."""
    deployed = local.runner.endpoints.get(endpoint)
    if deployed is None or deployed.quality_input is None:
        raise RuntimeError(f"{endpoint} has no model-quality schedule (monitoring.quality in the manifest)")
    return deployed.quality_input


def check_quality(local: LocalOrchestrator, endpoint: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the real quality check; (its outcome, the report it wrote)."""
    outcome = local.quality_check(quality_input(local, endpoint))
    check = local.check_function(endpoint, QUALITY_HANDLER)  # the report is in the check's own account
    reports = check.environment[ENV_REPORTS_BUCKET]
    s3 = local.clients_for(check).client("s3")
    body = s3.get_object(Bucket=reports, Key=outcome["report_key"])["Body"].read()
    return outcome, json.loads(body)


def quality_step(
    local: LocalOrchestrator, steps: Steps, endpoint: str, sent: TrafficResult, labels: list[int], batch: int
) -> dict[str, Any]:
    """Label the traffic and check the model's quality, one printed line each."""
    with steps.step("ground truth for the normal traffic arrives") as out:
        out.append(label_traffic(local, endpoint, sent, labels, batch))
    with steps.step("model quality check") as out:
        outcome, report = check_quality(local, endpoint)
        shown = ", ".join(f"{name} {report['metrics'][name]:.3f}" for name in SHOWN_METRICS)
        out.append(f"status {outcome['status']} over {outcome['matched']} labelled records: {shown}")
    return report
