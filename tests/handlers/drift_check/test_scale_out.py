"""Scale-out: a large capture volume starts a sharded Processing job whose partial profiles are merged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lambdas.drift_check import handler
from lambdas.drift_check import settings as s
from mlops_drift import DatasetProfile, parse_capture, profile
from mlops_drift.processing_job import run
from tests.handlers.drift_check.capture_files import make_rows
from tests.handlers.drift_check.conftest import REPORTS, World

BASE = make_rows(3000, seed=21)
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
ROLE = "arn:aws:iam::123456789012:role/drift-processing"


@pytest.fixture
def scaled(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    for name, value in {
        s.ENV_SCALE_OUT_BYTES: "20000",
        s.ENV_PROCESSING_IMAGE_URI: IMAGE,
        s.ENV_PROCESSING_ROLE_ARN: ROLE,
        s.ENV_PROCESSING_INSTANCE_COUNT: "2",
    }.items():
        monkeypatch.setenv(name, value)
    handler.runtime.reset()
    world.put_baseline(BASE)
    # Moto's DescribeProcessingJob omits some fields; keep the exact requests the function sent.
    world.job_requests = []
    _, clients = handler.runtime.get()
    clients.sagemaker.meta.events.register(
        "provide-client-params.sagemaker.CreateProcessingJob",
        lambda params, **_: world.job_requests.append(params),
    )
    yield world


def _simulate_job(world: World, job: dict[str, Any], tmp: Path) -> None:
    """Do what SageMaker does: shard the manifest's objects over 2 instances, run the entry point, upload."""
    inputs = {i["InputName"]: i["S3Input"] for i in job["ProcessingInputs"]}
    bucket, key = inputs["capture"]["S3Uri"].removeprefix("s3://").split("/", 1)
    prefix, *suffixes = world.read_json(key, bucket)
    capture_bucket, capture_prefix = prefix["prefix"].removeprefix("s3://").split("/", 1)
    baseline = tmp / "baseline.json"
    baseline.write_bytes(world.read(key.replace("manifest.json", "baseline/profile.json")))
    output = job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"].removeprefix(f"s3://{REPORTS}/")
    for shard in range(2):
        folder = tmp / f"algo-{shard + 1}"
        for suffix in suffixes[shard::2]:
            target = folder / "capture" / suffix
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(world.read(capture_prefix + suffix, capture_bucket))
        written = run(folder / "capture", baseline, folder / "out", f"algo-{shard + 1}")
        world.s3.put_object(Bucket=REPORTS, Key=output + written.name, Body=written.read_bytes())


def test_large_volume_starts_a_sharded_job_then_merges_its_partials(scaled: World, tmp_path: Path) -> None:
    # Given more capture bytes than the scale-out limit
    rows = make_rows(1200, seed=22, shift=1.0)
    keys = [scaled.put_rows(rows, start, start + 300) for start in range(0, 1200, 300)]
    # When the check runs, it starts a job instead of profiling
    started = scaled.invoke()
    assert started["status"] == "job_started" and started["files"] == 4
    assert scaled.sm.describe_processing_job(ProcessingJobName=started["job_name"])["ProcessingJobStatus"]
    (job,) = scaled.job_requests
    capture_input = next(i["S3Input"] for i in job["ProcessingInputs"] if i["InputName"] == "capture")
    assert capture_input["S3DataType"] == "ManifestFile"
    assert capture_input["S3DataDistributionType"] == "ShardedByS3Key"
    assert job["ProcessingResources"]["ClusterConfig"]["InstanceCount"] == 2
    assert job["AppSpecification"]["ImageUri"] == IMAGE and job["RoleArn"] == ROLE
    # The job stops reading in time to write its partial: at least 5 minutes before SageMaker would stop it
    flag, seconds = job["AppSpecification"]["ContainerArguments"]
    assert flag == "--seconds" and 0 < float(seconds) <= job["StoppingCondition"]["MaxRuntimeInSeconds"] - 300
    bucket, key = capture_input["S3Uri"].removeprefix("s3://").split("/", 1)
    prefix, *suffixes = scaled.read_json(key, bucket)
    assert [prefix["prefix"] + x for x in suffixes] == [f"s3://capture-bucket/{k}" for k in keys]
    assert scaled.keys("drift/churn-prod/latest") == []
    assert scaled.read_json("drift/churn-prod/checkpoint.json")["pending"]["job_name"] == started["job_name"]
    # When the job has run and the check runs again
    _simulate_job(scaled, job, tmp_path)
    done = scaled.invoke()
    # Then the merged report covers every record once, exactly as one pass over all files would
    assert (done["status"], done["records"], done["files"]) == ("drift", 1200, 4)
    report = scaled.read_json(done["report_key"])
    assert report["mode"] == "processing_job"
    lines = [line for k in keys for line in scaled.read(k, "capture-bucket").splitlines()]
    base = DatasetProfile.from_dict(scaled.read_json(scaled.event["baseline"]["key"], "registry-bucket"))
    single = profile(parse_capture(lines, base.spec).features, base.spec).to_dict()
    for merged, direct in zip(report["current_profile"]["features"], single["features"], strict=True):
        for field in ("count", "missing", "histogram", "counts", "other", "min", "max"):
            assert merged.get(field) == direct.get(field), (merged["name"], field)
    checkpoint = scaled.read_json("drift/churn-prod/checkpoint.json")
    assert checkpoint["pending"] is None and checkpoint["position"]["key"] == keys[-1]
    assert scaled.metric("DriftDetected") == (1.0, 1.0, 1.0)


def test_running_job_waits_and_failed_job_is_retried(scaled: World, monkeypatch: pytest.MonkeyPatch) -> None:
    scaled.put_rows(make_rows(600, seed=23), 0, 300)
    scaled.put_rows(make_rows(600, seed=23), 300, 600)
    started = scaled.invoke()
    with monkeypatch.context() as patched:  # only the job status is undone: the world's environment stays
        patched.setattr("lambdas.drift_check.service.job_status", lambda *_: ("InProgress", ""))
        assert scaled.invoke()["status"] == "job_running"
        patched.setattr("lambdas.drift_check.service.job_status", lambda *_: ("Failed", "OOM"))
        failed = scaled.invoke()
    assert failed["status"] == "job_failed" and "OOM" in failed["job_name"]
    checkpoint = scaled.read_json("drift/churn-prod/checkpoint.json")
    assert checkpoint == {"position": None, "pending": None}
    retried = scaled.invoke()
    assert retried["status"] == "job_started" and retried["files"] == started["files"] == 2
    assert json.dumps(scaled.keys("drift/churn-prod/")).count(".html") == 0
