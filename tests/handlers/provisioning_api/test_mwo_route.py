"""POST /provisionpipeline answers what an MWO body becomes here, registers nothing, refuses in clear 4xx."""

from __future__ import annotations

import json

from tests.handlers.provisioning_api.conftest import ALICE, REGISTRY
from tests.unit.api.mwo_bodies import byom, data_quality

PATH = "/provisionpipeline"


def test_a_byom_body_answers_its_manifest_and_registers_nothing(api):
    status, body = api.call("POST", PATH, byom("byom_realtime_builtin"))

    assert status == 200, body
    manifest = json.loads(body["manifest_text"])
    assert manifest == body["manifest"]
    assert (manifest["model_name"], manifest["version"], manifest["owner"]) == ("churn", "v1", ALICE)
    assert body["copies"][0]["target"] == f"s3://{REGISTRY}/models/churn/v1/model.tar.gz"
    assert "Contents" not in api.s3.list_objects_v2(Bucket=REGISTRY)


def test_a_monitor_body_answers_its_monitoring_section(api):
    status, body = api.call("POST", PATH, data_quality())

    assert status == 200, body
    assert body["monitoring"]["enabled"] is True
    assert body["monitoring"]["baseline_dataset_key"].startswith("datasets/mwo/churn/")
    assert body["manifest"] is None


def test_an_unmapped_type_is_a_400_naming_it(api):
    status, body = api.call("POST", PATH, {"pipeline_type": "model_autopilot_training", "model_name": "x"})

    assert status == 400
    assert body["error"] == "mwo_type_not_mapped"
    assert "model_autopilot_training" in body["message"] and "automl" in body["message"]
    assert [p["path"] for p in body["problems"]] == ["pipeline_type"]


def test_field_problems_are_a_400_listing_each(api):
    status, body = api.call("POST", PATH, byom("byom_batch_custom", model_name=5, extra=1))

    assert status == 400
    assert body["error"] == "invalid_request"
    assert {p["path"] for p in body["problems"]} == {"model_name", "extra"}
    assert all(set(p) == {"path", "found", "allowed", "code"} for p in body["problems"])


def test_an_empty_or_unreadable_body_is_a_400(api):
    for text in ("", "{not json"):
        status, body = api.call("POST", PATH, text)
        assert status == 400 and body["problems"], text


def test_an_unsigned_call_is_refused(api):
    status, body = api.call("POST", PATH, byom("byom_realtime_builtin"), caller=None)

    assert status == 403 and body["error"] == "no_identity"


def test_a_body_larger_than_any_mwo_body_is_a_413(api):
    status, body = api.call("POST", PATH, byom("byom_realtime_builtin", model_name="x" * 20_000))

    assert status == 413 and body["error"] == "body_too_large"
