"""GET /models/{name}; approve and reject under separation of duties; roll back to the last approved one."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from lambdas.provisioning_api import handler
from lambdas.provisioning_api.settings import load_settings
from tests.handlers.provisioning_api.conftest import ALICE, BOB, PIPELINES, REPORTS, TOKEN
from tests.handlers.provisioning_api.registry_world import deployed, register

REALTIME = PIPELINES["realtime"]


def two_approved_deployments(api) -> None:
    """churn v1 then v2, both approved and deployed by Alice's uploads."""
    for version, execution in (("v1", "e1"), ("v2", "e2")):
        arn = register(api, "churn", version, uploader=ALICE, approval="Approved")
        deployed(api, "churn", version, arn, execution)


def test_status_lists_versions_executions_and_endpoints(api):
    arn = register(api, "churn", "v1", uploader=ALICE, approval="Approved")
    deployed(api, "churn", "v1", arn, "e1")

    status, body = api.call("GET", "/models/churn")

    assert status == 200
    assert [(v["version"], v["approval"]) for v in body["versions"]] == [("v1", "Approved")]
    assert [(e["pipeline"], e["execution_id"], e["version"]) for e in body["executions"]] == [
        (REALTIME, "e1", "v1")
    ]
    assert [(e["stage"], e["endpoint"], e["status"]) for e in body["endpoints"]] == [
        ("staging", "churn-staging", "NotDeployed"),
        ("production", "churn-production", "NotDeployed"),
    ]


def test_status_carries_the_latest_drift_and_quality_of_a_deployed_endpoint(api, monkeypatch):
    from lambdas.provisioning_api import status as status_module

    register(api, "churn", "v1", uploader=ALICE)
    monkeypatch.setattr(
        status_module,
        "endpoint_state",
        lambda sm, stage, name: {
            "stage": stage,
            "endpoint": name,
            "status": "InService",
            "health": "healthy",
        },
    )
    api.s3.put_object(
        Bucket=REPORTS,
        Key="drift/churn-production/latest.json",
        Body=json.dumps({"status": "drift", "drifted_features": ["age"]}).encode(),
    )
    api.s3.put_object(
        Bucket=REPORTS,
        Key="quality/churn-production/latest.json",
        Body=json.dumps(
            {"status": "breached", "metrics": {"accuracy": 0.6}, "breaches": [{"metric": "accuracy"}]}
        ).encode(),
    )

    _, body = api.call("GET", "/models/churn")

    production = body["endpoints"][1]
    assert production["drift"]["status"] == "drift"
    assert production["drift"]["details"]["drifted_features"] == ["age"]
    assert production["quality"] == {
        "status": "breached",
        "details": {"metrics": {"accuracy": 0.6}, "breaches": ["accuracy"]},
    }
    assert body["endpoints"][0]["drift"] is None  # no report for staging


def test_an_unknown_model_is_404(api):
    status, body = api.call("GET", "/models/nobody")

    assert status == 404 and "nobody" in body["message"]


@pytest.mark.parametrize("name", ["..", "%2e%2e", "a%2Fb", "chürn", "x" * 43, "-lead"])
def test_names_that_cannot_exist_are_refused_by_name(api, name):
    status, body = api.call("GET", f"/models/{name}")

    assert status == 400
    assert body["problems"][0]["path"] == "name"


@pytest.mark.parametrize("path", ["/models/a/b", "/models", "/nothing", "/models/churn/versions/../approve"])
def test_paths_outside_the_api_are_404_json(api, path):
    status, body = api.call("GET", path)

    assert status == 404 and body["error"] == "no_such_operation"


def test_another_person_approves_the_waiting_version(api):
    arn = register(api, "churn", "v2", uploader=ALICE)
    deployed(api, "churn", "v2", arn, "e2", status="InProgress")
    api.pipelines.waiting[REALTIME] = "e2"

    status, body = api.call(
        "POST", "/models/churn/versions/v2/approve", {"comment": "metrics reviewed"}, caller=BOB
    )

    assert status == 200
    assert body == {
        "model_name": "churn",
        "version": "v2",
        "decision": "Approved",
        "pipeline": REALTIME,
        "execution_id": "e2",
    }
    (answer,) = api.pipelines.answers
    assert answer["token"] == TOKEN and answer["result"]["status"] == "Approved"
    assert BOB in answer["result"]["summary"] and "provisioning API" in answer["result"]["summary"]


def test_the_uploader_cannot_approve_their_own_version(api):
    arn = register(api, "churn", "v2", uploader=ALICE)
    deployed(api, "churn", "v2", arn, "e2", status="InProgress")
    api.pipelines.waiting[REALTIME] = "e2"

    status, body = api.call("POST", "/models/churn/versions/v2/approve", {}, caller=ALICE)

    assert status == 403 and body["error"] == "separation_of_duties"
    assert api.pipelines.answers == []


def test_who_requested_an_api_upload_cannot_approve_it(api):
    api_role = "arn:aws:sts::123456789012:assumed-role/provisioning-api/function"
    arn = register(api, "churn", "v2", uploader=api_role, requested_by=ALICE)
    deployed(api, "churn", "v2", arn, "e2", status="InProgress")
    api.pipelines.waiting[REALTIME] = "e2"

    status, body = api.call("POST", "/models/churn/versions/v2/approve", caller=ALICE)

    assert status == 403 and body["error"] == "separation_of_duties"
    assert api.pipelines.answers == []


def test_the_uploader_may_reject(api):
    arn = register(api, "churn", "v2", uploader=ALICE)
    deployed(api, "churn", "v2", arn, "e2", status="InProgress")
    api.pipelines.waiting[REALTIME] = "e2"

    status, body = api.call("POST", "/models/churn/versions/v2/reject", caller=ALICE)

    assert status == 200 and body["decision"] == "Rejected"
    assert api.pipelines.answers[0]["result"]["status"] == "Rejected"


def test_approving_when_nothing_waits_is_a_conflict(api):
    register(api, "churn", "v2", uploader=ALICE)

    status, body = api.call("POST", "/models/churn/versions/v2/approve", caller=BOB)

    assert status == 409 and "v2" in body["message"]


def test_approving_an_unregistered_version_is_404(api):
    status, _ = api.call("POST", "/models/churn/versions/v9/approve", caller=BOB)

    assert status == 404


@pytest.mark.parametrize(
    "body", ['{"comment": 5}', '{"comment": ""}', '{"other": 1}', "nope", json.dumps({"comment": "x" * 513})]
)
def test_a_bad_decision_body_is_a_400(api, body):
    status, answer = api.call("POST", "/models/churn/versions/v2/approve", body, caller=BOB)

    assert status == 400 and answer["problems"]


def test_rollback_restarts_the_previous_approved_version_with_its_recorded_values(api):
    first = register(api, "churn", "v1", uploader=ALICE, approval="Approved")
    deployed(api, "churn", "v1", first, "e1")
    second = register(api, "churn", "v2", uploader=ALICE, approval="Approved")
    deployed(api, "churn", "v2", second, "e2")

    status, body = api.call("POST", "/models/churn/rollback", {"comment": "latency regression"}, caller=BOB)

    assert status == 202
    assert (body["from_version"], body["to_version"], body["pipeline"]) == ("v2", "v1", REALTIME)
    (started,) = api.pipelines.started
    assert started["name"] == REALTIME
    variables = {v["name"]: v["value"] for v in started["variables"]}
    assert variables["ModelPackageArn"] == first and variables["ModelVersion"] == "v1"


def test_rollback_twice_uses_one_token(api):
    two_approved_deployments(api)

    api.call("POST", "/models/churn/rollback", caller=BOB)
    api.call("POST", "/models/churn/rollback", caller=BOB)

    first, second = api.pipelines.started
    assert first["clientRequestToken"] == second["clientRequestToken"]


def test_rollback_without_an_earlier_approved_version_is_a_conflict(api):
    register(api, "churn", "v1", uploader=ALICE, approval="Approved")
    register(api, "churn", "v2", uploader=ALICE)

    status, body = api.call("POST", "/models/churn/rollback", caller=BOB)

    assert status == 409 and "earlier approved version" in body["message"]
    assert api.pipelines.started == []


def test_an_aws_failure_is_a_500_without_aws_text(api, monkeypatch):
    def broken(**_):
        raise RuntimeError("AccessDenied: arn:aws:iam::123456789012:role/secret is not authorized")

    monkeypatch.setattr(api.pipelines, "start_pipeline_execution", broken)
    two_approved_deployments(api)

    status, body = api.call("POST", "/models/churn/rollback", caller=BOB)

    assert status == 500 and body["error"] == "internal_error"
    assert "AccessDenied" not in json.dumps(body) and "req-1" in body["message"]


def test_a_stage_in_another_account_is_never_reported_as_not_deployed(api):
    arn = register(api, "churn", "v1", uploader=ALICE, approval="Approved")
    deployed(api, "churn", "v1", arn, "e1")
    settings, clients = handler.runtime.get()
    handler.runtime.override(replace(settings, remote_accounts={"production": "333333333333"}), clients)

    status, body = api.call("GET", "/models/churn")

    assert status == 200
    production = next(e for e in body["endpoints"] if e["stage"] == "production")
    assert production["status"] == "InStageAccount" and "333333333333" in production["health"]
    assert "--assume-role" in production["health"] and production["drift"] is None
    staging = next(e for e in body["endpoints"] if e["stage"] == "staging")
    assert staging["status"] != "InStageAccount"


def test_remote_stage_accounts_are_read_from_the_environment():
    env = {
        "REGISTRY_BUCKET_NAME": "r", "REPORTS_BUCKET_NAME": "p", "NOTIFICATION_TOPIC_ARN": "t",
        "PIPELINE_NAMES": json.dumps(PIPELINES), "APPROVAL_STAGE_NAME": "Production",
        "STAGE_NAMES": "qa,staging,production", "AWS_REGION": "eu-west-1",
        "REMOTE_STAGE_ACCOUNTS": "qa=222222222222,production=333333333333",
    }  # fmt: skip

    loaded = load_settings(env)

    assert loaded.remote_accounts == {"qa": "222222222222", "production": "333333333333"}
