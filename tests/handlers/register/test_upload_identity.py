"""Given CloudTrail's record of a put under models/, the register function keeps who made it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.handlers.register.artifacts import good_model
from tests.handlers.register.conftest import BUCKET, Registry, valid_manifest

ALICE = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DataScientist_1a2b/alice@example.com"


def cloudtrail_put(key: str = "models/churn-model/v1/manifest.json", **changes: Any) -> dict[str, Any]:
    detail = {
        "eventSource": "s3.amazonaws.com",
        "eventName": "PutObject",
        "eventTime": "2026-11-27T10:00:00Z",
        "requestID": "N4N7GDK58NMKJ12R",
        "userIdentity": {"type": "AssumedRole", "arn": ALICE},
        "requestParameters": {"bucketName": BUCKET, "key": key},
        "responseElements": {"x-amz-version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e"},
    } | changes
    return {"source": "aws.s3", "detail-type": "AWS API Call via CloudTrail", "detail": detail}


def uploader_records(registry: Registry) -> list[dict[str, Any]]:
    keys = [key.split("#")[0] for key in registry.keys("uploaders/")]
    return [json.loads(registry.s3.get_object(Bucket=BUCKET, Key=k)["Body"].read()) for k in keys]


def test_the_identity_behind_a_put_is_kept_by_request_id(registry: Registry) -> None:
    result = registry.invoke(cloudtrail_put())

    assert result == {"status": "uploader_recorded", "request_id": "N4N7GDK58NMKJ12R"}
    assert registry.keys("uploaders/")[0].startswith("uploaders/N4N7GDK58NMKJ12R.json#")
    (record,) = uploader_records(registry)
    assert record["identity"] == ALICE
    assert record["key"] == "models/churn-model/v1/manifest.json"
    assert record["version_id"] == "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e"
    assert registry.packages() == []  # recording an upload registers nothing


@pytest.mark.parametrize(
    "event",
    [
        cloudtrail_put(errorCode="AccessDenied"),
        cloudtrail_put(requestParameters={"bucketName": "another-bucket", "key": "models/m/v/manifest.json"}),
        cloudtrail_put(key="datasets/churn/train.csv"),
        cloudtrail_put(userIdentity={"type": "AWSService"}),
        cloudtrail_put(requestID="../escape"),
    ],
    ids=["failed put", "another bucket", "outside models", "no identity ARN", "bad request id"],
)
def test_puts_that_made_no_upload_here_are_not_recorded(registry: Registry, event) -> None:
    result = registry.invoke(event)

    assert result["status"] == "ignored"
    assert registry.keys("uploaders/") == []


def test_the_registration_record_names_the_manifest_request(registry: Registry) -> None:
    event = registry.upload(valid_manifest(), good_model())
    event["detail"]["request-id"] = "7QWERTY12345ABCD"

    registry.invoke(event)

    body = registry.s3.get_object(Bucket=BUCKET, Key="registrations/churn-model/v1.json")["Body"].read()
    assert json.loads(body)["manifest_request_id"] == "7QWERTY12345ABCD"
