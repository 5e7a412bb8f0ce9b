"""Events and notifications of every function: refused events raise, subjects fit SNS."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from lambdas.common.events import EVENT_SOURCE, DetailType
from lambdas.common.publishing import SUBJECT_LIMIT, PublishError, notify, put_event, sns_subject


def _stubbed(service: str) -> tuple[object, Stubber]:
    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


def test_an_event_goes_to_the_bus_with_the_orchestrator_source_and_its_detail():
    events, stub = _stubbed("events")
    entry = {
        "Source": EVENT_SOURCE,
        "DetailType": "ModelDeployed",
        "Detail": json.dumps({"a": 1, "b": [2]}, sort_keys=True),
        "EventBusName": "bus",
    }
    stub.add_response(
        "put_events", {"FailedEntryCount": 0, "Entries": [{"EventId": "1"}]}, {"Entries": [entry]}
    )
    with stub:
        put_event(events, "bus", DetailType.MODEL_DEPLOYED, {"b": [2], "a": 1})
        stub.assert_no_pending_responses()


def test_an_event_eventbridge_refuses_raises_naming_it_and_the_error_code():
    events, stub = _stubbed("events")
    refused = {
        "FailedEntryCount": 1,
        "Entries": [{"ErrorCode": "ThrottlingException", "ErrorMessage": "slow"}],
    }
    stub.add_response("put_events", refused)
    with (
        stub,
        pytest.raises(
            PublishError, match=r"ModelRejected event rejected by EventBridge: \['ThrottlingException'\]"
        ),
    ):
        put_event(events, "bus", DetailType.MODEL_REJECTED, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Model deployed: churn 1", "Model deployed: churn 1"),
        ("Modèle déployé", "Mod?le d?ploy?"),
        ("x" * 150, "x" * SUBJECT_LIMIT),
    ],
)
def test_subjects_are_ascii_and_fit_sns(text, expected):
    assert sns_subject(text) == expected


def test_a_notification_is_published_with_a_fitting_subject():
    sns, stub = _stubbed("sns")
    expected = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Subject": "?" * 100, "Message": "body"}
    stub.add_response("publish", {"MessageId": "m"}, expected)
    with stub:
        notify(sns, expected["TopicArn"], "é" * 120, "body")
        stub.assert_no_pending_responses()
