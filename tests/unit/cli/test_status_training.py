"""`mlops status` shows a model's training runs and the champion/challenger line of trained versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3

from lambdas.training_run.history import RunHistory, RunRecord, history_key
from mlops_training.run_inputs import RunOutcome, TriggerKind

MODEL = "bc-trained"
COMPARISON = {
    "metric": "f1",
    "challenger_score": 0.98113,
    "champion_version": "bc-trained-261101-060000",
    "champion_score": 0.97169,
    "held_out_sha256": "a" * 64,
    "verdict": "better",
}


def _run(name: str, hour: int, outcome: RunOutcome, reason: str, score: float | None = None) -> RunRecord:
    return RunRecord(
        run_name=name,
        trigger=TriggerKind.DRIFT,
        started_at=datetime(2026, 11, 2, hour, tzinfo=UTC),
        outcome=outcome,
        reason=reason,
        metric="f1" if score is not None else None,
        score=score,
    )


def _history(s3, bucket) -> None:
    runs = (
        _run("bc-trained-261102-060000", 6, RunOutcome.SUCCEEDED, "published as version v2", 0.98113),
        _run("bc-trained-261102-070000", 7, RunOutcome.SKIPPED, "cool-down: the last run started at 06:00"),
        _run("bc-trained-261102-080000", 8, RunOutcome.FAILED, "channel train: no data under s3://d/t/"),
    )
    body = RunHistory(model_name=MODEL, runs=runs).model_dump_json()
    s3.put_object(Bucket=bucket, Key=history_key(MODEL), Body=body.encode())


def _register_trained(url: str, s3, bucket: str) -> None:
    """A package whose manifest (in the registry bucket) carries the training run's comparison."""
    sm = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1")
    sm.create_model_package_group(ModelPackageGroupName=MODEL)
    sm.create_model_package(
        ModelPackageGroupName=MODEL,
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties={"mlops:model-version": "v2", "mlops:artifact-sha256": "b" * 64},
    )
    manifest = {"model_name": MODEL, "version": "v2", "lineage": {"comparison": COMPARISON}}
    s3.put_object(Bucket=bucket, Key=f"models/{MODEL}/v2/manifest.json", Body=json.dumps(manifest))


def test_status_lists_training_runs_newest_first_with_their_outcome(run, s3_bucket, moto_url):
    s3, bucket = s3_bucket
    _history(s3, bucket)
    args = ("status", MODEL, "--reports-bucket", bucket, "--endpoint-url", moto_url, "--stages", "dev")

    result = run(*args, "--json")

    assert result.exit_code == 0, result.output  # a model with only training runs is not unknown
    runs = json.loads(result.output)["training_runs"]
    assert [(r["outcome"], r["reason"]) for r in runs] == [
        ("failed", "channel train: no data under s3://d/t/"),
        ("skipped", "cool-down: the last run started at 06:00"),
        ("succeeded", "published as version v2"),
    ]
    text = run(*args).output
    assert "  bc-trained-261102-060000  drift  succeeded  f1 0.9811  2026-11-02T06:00:00+00:00" in text
    assert "      cool-down: the last run started at 06:00" in text


def test_status_shows_a_trained_versions_comparison(run, s3_bucket, moto_url):
    s3, bucket = s3_bucket
    _register_trained(moto_url, s3, bucket)
    args = ("status", MODEL, "--bucket", bucket, "--endpoint-url", moto_url, "--stages", "dev")

    (version,) = json.loads(run(*args, "--json").output)["versions"]
    text = run(*args).output

    expected = "better than champion bc-trained-261101-060000: f1 0.9811 vs 0.9717 on the same held-out data"
    assert version["comparison"] == expected
    assert f"      champion/challenger: {expected}" in text
    assert "training runs: (pass --reports-bucket" in text


def test_an_unreadable_run_history_is_reported_not_fatal(run, s3_bucket, moto_url):
    s3, bucket = s3_bucket
    s3.put_object(Bucket=bucket, Key=f"training/{MODEL}/runs.json", Body=b"{not json")
    _register_trained(moto_url, s3, bucket)
    args = ("status", MODEL, "--bucket", bucket, "--reports-bucket", bucket, "--endpoint-url", moto_url)

    result = run(*args, "--stages", "dev")

    assert result.exit_code == 0, result.output
    assert (
        f"training runs: cannot be read: s3://{bucket}/training/{MODEL}/runs.json is not JSON"
        in result.output
    )
