"""push, status and drift against a moto server (local mode, --endpoint-url)."""

import json

import boto3
import pytest

from mlops_cli.aws import Aws


@pytest.fixture
def s3_calls(monkeypatch):
    """S3 operations (name, key) in the order the CLI makes them."""
    calls = []
    original = Aws.client

    def client(self, service):
        created = original(self, service)
        created.meta.events.register(
            "before-parameter-build.s3",
            lambda params, model, **_: calls.append((model.name, params.get("Key"))),
        )
        return created

    monkeypatch.setattr(Aws, "client", client)
    return calls


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def push(run, demo, bucket, url, *extra, artifact=None, manifest=None):
    return run(
        "push",
        artifact or demo.artifact,
        "--manifest",
        manifest or demo.manifest,
        "--bucket",
        bucket,
        "--endpoint-url",
        url,
        *extra,
    )


def test_push_uploads_the_artifact_then_the_manifest(run, demo, s3_bucket, moto_url, s3_calls):
    s3, bucket = s3_bucket
    result = push(run, demo, bucket, moto_url)
    assert result.exit_code == 0, result.output
    folder = "models/breast-cancer/1/"
    uploads = [key for name, key in s3_calls if name in {"PutObject", "CreateMultipartUpload"}]
    assert uploads == [folder + "model.tar.gz", folder + "manifest.json"]
    assert keys(s3, bucket) == [folder + "manifest.json", folder + "model.tar.gz"]
    assert (
        s3.get_object(Bucket=bucket, Key=folder + "model.tar.gz")["Body"].read() == demo.artifact.read_bytes()
    )
    assert (
        s3.get_object(Bucket=bucket, Key=folder + "manifest.json")["Body"].read()
        == demo.manifest.read_bytes()
    )
    assert "mlops status breast-cancer --version 1" in result.output


def test_digest_mismatch_is_refused_and_nothing_uploaded(run, demo, s3_bucket, moto_url, tmp_path):
    s3, bucket = s3_bucket
    other = tmp_path / "other.tar.gz"
    other.write_bytes(demo.artifact.read_bytes() + b"\0")
    result = push(run, demo, bucket, moto_url, artifact=other)
    assert result.exit_code == 1
    assert "--write-digest" in result.stderr and demo.sha256 in result.stderr
    assert keys(s3, bucket) == []


def test_write_digest_pushes_a_filled_copy(run, demo, s3_bucket, moto_url, tmp_path):
    s3, bucket = s3_bucket
    document = json.loads(demo.manifest.read_text())
    document["artifact"]["sha256"] = "TODO"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(document))
    result = push(run, demo, bucket, moto_url, "--write-digest", manifest=manifest)
    assert result.exit_code == 0, result.output
    copy = json.loads((tmp_path / "manifest.with-digest.json").read_text())
    assert copy["artifact"]["sha256"] == demo.sha256
    assert json.loads(manifest.read_text())["artifact"]["sha256"] == "TODO"  # the original is untouched
    stored = s3.get_object(Bucket=bucket, Key="models/breast-cancer/1/manifest.json")["Body"].read()
    assert json.loads(stored)["artifact"]["sha256"] == demo.sha256


def test_existing_version_with_another_digest_is_not_overwritten(run, demo, s3_bucket, moto_url, tmp_path):
    s3, bucket = s3_bucket
    assert push(run, demo, bucket, moto_url).exit_code == 0
    other = tmp_path / "model.tar.gz"
    other.write_bytes(demo.artifact.read_bytes() + b"\0")
    result = push(run, demo, bucket, moto_url, "--write-digest", artifact=other)
    assert result.exit_code == 1 and "already exists" in result.stderr
    stored = s3.get_object(Bucket=bucket, Key="models/breast-cancer/1/model.tar.gz")["Body"].read()
    assert stored == demo.artifact.read_bytes()
    again = push(run, demo, bucket, moto_url)
    assert again.exit_code == 0 and "already pushed" in again.output


def test_invalid_manifest_is_not_pushed(run, demo, s3_bucket, moto_url, tmp_path):
    s3, bucket = s3_bucket
    manifest = tmp_path / "manifest.json"
    manifest.write_text(demo.manifest.read_text().replace('"realtime"', '"streaming"'))
    result = push(run, demo, bucket, moto_url, manifest=manifest)
    assert result.exit_code == 1 and "inference" in result.output
    assert keys(s3, bucket) == []


def register(url, model, version, sha256):
    sm = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1")
    sm.create_model_package_group(ModelPackageGroupName=model)
    sm.create_model_package(
        ModelPackageGroupName=model,
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties={"mlops:model-version": version, "mlops:artifact-sha256": sha256},
        InferenceSpecification={
            "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )
    sm.create_model(
        ModelName=f"{model}-m",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName=f"{model}-c",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": f"{model}-m",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
    )
    sm.create_endpoint(EndpointName=f"{model}-staging", EndpointConfigName=f"{model}-c")


LATEST = {
    "status": "drift",
    "drifted_features": ["mean_radius"],
    "features": [
        {
            "name": "mean_radius",
            "status": "drift",
            "metrics": {"psi": 1.23456, "ks_distance": 0.5, "note": None},
        },
        {"name": "mean_area", "status": "ok", "metrics": {"psi": 0.01}},
    ],
    "reports": {"json": "s3://{b}/drift/{e}/t.json", "html": "s3://{b}/drift/{e}/t.html"},
    "current_records": 300,
    "baseline_records": 398,
}


def put_latest(s3, bucket, endpoint, document=None):
    text = json.dumps(document or LATEST).replace("{b}", bucket).replace("{e}", endpoint)
    s3.put_object(Bucket=bucket, Key=f"drift/{endpoint}/latest.json", Body=text.encode())
    s3.put_object(Bucket=bucket, Key=f"drift/{endpoint}/t.html", Body=b"<html>report</html>")


def test_status_shows_versions_rejections_endpoints_and_drift(run, demo, s3_bucket, moto_url):
    s3, bucket = s3_bucket
    register(moto_url, "bc-status", "1", demo.sha256)
    report = {
        "rejected_at": "2025-11-26T08:00:00+00:00",
        "problem_count": 1,
        "problems": [{"path": "artifact.sha256", "found": "x", "allowed": "y"}],
    }
    s3.put_object(
        Bucket=bucket, Key="rejected/bc-status/0/20251126T080000000000Z.json", Body=json.dumps(report)
    )
    put_latest(s3, bucket, "bc-status-staging")
    args = ("status", "bc-status", "--bucket", bucket, "--reports-bucket", bucket, "--endpoint-url", moto_url)
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    (version,) = status["versions"]
    assert (version["version"], version["approval"], version["sha256"]) == (
        "1",
        "PendingManualApproval",
        demo.sha256,
    )
    (rejection,) = status["rejections"]
    assert rejection["version"] == "0" and rejection["problem_count"] == 1
    staging, production = status["endpoints"]
    assert (staging["endpoint"], staging["status"]) == ("bc-status-staging", "InService")
    assert staging["drift"]["status"] == "drift" and staging["drift"]["drifted_features"] == ["mean_radius"]
    assert (production["endpoint"], production["status"]) == ("bc-status-production", "NotDeployed")
    assert status["executions"] is None
    text = run(*args)
    assert text.exit_code == 0
    assert "PendingManualApproval" in text.output and "drift: drift mean_radius" in text.output
    assert "- artifact.sha256: found x; allowed: y" in text.output


def test_status_of_an_unknown_model_exits_1(run, s3_bucket, moto_url):
    _, bucket = s3_bucket
    result = run("status", "nobody", "--bucket", bucket, "--endpoint-url", moto_url)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: unknown model 'nobody': no model package group in us-east-1 and nothing in s3://{bucket}"
    )


def test_status_of_a_model_only_pushed_so_far(run, demo, s3_bucket, moto_url):
    _, bucket = s3_bucket
    assert push(run, demo, bucket, moto_url).exit_code == 0
    result = run("status", "breast-cancer", "--bucket", bucket, "--endpoint-url", moto_url, "--stages", "dev")
    assert result.exit_code == 0, result.output
    assert "(none registered)" in result.output and "dev: breast-cancer-dev  NotDeployed" in result.output


def test_drift_shows_the_verdict_and_downloads_the_report(run, s3_bucket, moto_url, tmp_path):
    s3, bucket = s3_bucket
    put_latest(s3, bucket, "ep-1")
    result = run(
        "drift", "ep-1", "--reports-bucket", bucket, "--endpoint-url", moto_url, "--out", tmp_path / "r"
    )
    assert result.exit_code == 0, result.output
    assert "endpoint ep-1: drift" in result.output
    assert "records: 300 current, 398 baseline" in result.output
    assert "  mean_radius  psi=1.235 ks_distance=0.5" in result.output
    assert "mean_area" not in result.output
    assert f"HTML report: s3://{bucket}/drift/ep-1/t.html" in result.output
    assert (tmp_path / "r" / "t.html").read_bytes() == b"<html>report</html>"


def test_drift_reads_odd_documents_defensively(run, s3_bucket, moto_url):
    s3, bucket = s3_bucket
    put_latest(
        s3, bucket, "ep-2", {"status": "ok", "features": "garbage", "drifted_features": None, "reports": []}
    )
    result = run("drift", "ep-2", "--reports-bucket", bucket, "--endpoint-url", moto_url)
    assert result.exit_code == 0, result.output
    assert "endpoint ep-2: ok" in result.output and "drifted features: none" in result.output
    assert "HTML report: (none)" in result.output


def test_drift_without_a_report_exits_1(run, s3_bucket, moto_url):
    _, bucket = s3_bucket
    result = run("drift", "ep-3", "--reports-bucket", bucket, "--endpoint-url", moto_url)
    assert result.exit_code == 1 and "no drift report for 'ep-3'" in result.stderr


def test_pipeline_executions_of_the_model_with_their_current_stage():
    from datetime import UTC, datetime

    from botocore.stub import Stubber

    from lambdas.common.pipeline_executions import model_executions

    cp = boto3.client("codepipeline", region_name="us-east-1")
    started = datetime(2025, 11, 26, 8, 0, tzinfo=UTC)
    with Stubber(cp) as stub:
        stub.add_response(
            "list_pipeline_executions",
            {
                "pipelineExecutionSummaries": [
                    {"pipelineExecutionId": i, "status": s, "startTime": started}
                    for i, s in [("e3", "InProgress"), ("e2", "Succeeded"), ("e1", "Failed")]
                ]
            },
            {"pipelineName": "deploy", "maxResults": 25},
        )
        stub.add_response(
            "get_pipeline_state",
            {
                "stageStates": [
                    {
                        "stageName": "Staging",
                        "latestExecution": {"pipelineExecutionId": "e3", "status": "Succeeded"},
                    },
                    {
                        "stageName": "Approval",
                        "latestExecution": {"pipelineExecutionId": "e3", "status": "InProgress"},
                    },
                    {
                        "stageName": "Production",
                        "latestExecution": {"pipelineExecutionId": "e2", "status": "Succeeded"},
                    },
                ]
            },
            {"name": "deploy"},
        )
        for execution, model, version in [("e3", "bc", "2"), ("e2", "other", "1"), ("e1", "bc", "1")]:
            variables = [
                {"name": "ModelName", "resolvedValue": model},
                {"name": "ModelVersion", "resolvedValue": version},
            ]
            stub.add_response(
                "get_pipeline_execution",
                {"pipelineExecution": {"pipelineExecutionId": execution, "variables": variables}},
                {"pipelineName": "deploy", "pipelineExecutionId": execution},
            )
        found = model_executions(cp, "deploy", "bc", None)
    assert [(e["execution_id"], e["version"], e["status"], e["stage"], e["stage_status"]) for e in found] == [
        ("e3", "2", "InProgress", "Approval", "InProgress"),
        ("e1", "1", "Failed", "", ""),
    ]


def test_status_shows_how_an_approved_version_was_approved(run, demo, s3_bucket, moto_url):
    _, bucket = s3_bucket
    register(moto_url, "bc-approved", "1", demo.sha256)
    sm = boto3.client("sagemaker", endpoint_url=moto_url, region_name="us-east-1")
    (package,) = sm.list_model_packages(ModelPackageGroupName="bc-approved")["ModelPackageSummaryList"]
    note = "Deployed to production endpoint bc-approved-production, approved by arn:aws:iam::1:user/alice"
    sm.update_model_package(
        ModelPackageArn=package["ModelPackageArn"],
        ModelApprovalStatus="Approved",
        ApprovalDescription=note,
        # moto erases metadata an update does not name (AWS keeps it): name it again
        CustomerMetadataProperties={"mlops:model-version": "1", "mlops:artifact-sha256": demo.sha256},
    )
    args = ("status", "bc-approved", "--bucket", bucket, "--endpoint-url", moto_url)

    (version,) = json.loads(run(*args, "--json").output)["versions"]
    text = run(*args).output

    assert (version["approval"], version["approval_description"]) == ("Approved", note)
    assert f"      {note}" in text.splitlines()
