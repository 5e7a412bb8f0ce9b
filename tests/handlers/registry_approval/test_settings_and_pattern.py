"""Registry-approval settings parse the CDK contract; the rule pattern selects exactly the decisions."""

from __future__ import annotations

import copy
import json
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambdas.registry_approval.patterns import PACKAGE_APPROVED_PATTERN
from lambdas.registry_approval.settings import load_settings
from tests.handlers.deployment_events.aws_world import REGION
from tests.handlers.registry_approval.conftest import APPROVED, REJECTED

NAMES = {"realtime": "rt", "serverless": "sl", "async": "as"}


def test_settings_list_the_pipelines_in_a_fixed_order_and_the_stage():
    settings = load_settings({"PIPELINE_NAMES": json.dumps(NAMES), "APPROVAL_STAGE_NAME": "Production"})

    assert settings.pipeline_names == ("rt", "sl", "as")
    assert settings.approval_stage == "Production"


def test_settings_require_the_stage_name():
    with pytest.raises(KeyError, match="APPROVAL_STAGE_NAME"):
        load_settings({"PIPELINE_NAMES": json.dumps(NAMES)})
    with pytest.raises(ValueError, match="APPROVAL_STAGE_NAME"):
        load_settings({"PIPELINE_NAMES": json.dumps(NAMES), "APPROVAL_STAGE_NAME": " "})


def matches(event: dict[str, Any]) -> bool:
    """Whether a rule with PACKAGE_APPROVED_PATTERN routes `event` (moto's rule engine, rule → SQS)."""
    with mock_aws():
        events, sqs = boto3.client("events", region_name=REGION), boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="matched")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="rule", EventPattern=json.dumps(PACKAGE_APPROVED_PATTERN))
        events.put_targets(Rule="rule", Targets=[{"Id": "q", "Arn": arn}])
        entry = {
            "Source": event["source"],
            "DetailType": event["detail-type"],
            "Detail": json.dumps(event["detail"]),
        }
        assert events.put_events(Entries=[entry])["FailedEntryCount"] == 0
        return bool(sqs.receive_message(QueueUrl=url).get("Messages"))


def changed(event: dict[str, Any], **top: Any) -> dict[str, Any]:
    result = copy.deepcopy(event)
    result.update({k.replace("_", "-"): v for k, v in top.items() if k != "status"})
    if "status" in top:
        result["detail"]["ModelApprovalStatus"] = top["status"]
    return result


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (APPROVED, True),
        (REJECTED, True),
        (changed(APPROVED, status="PendingManualApproval"), False),
        (changed(APPROVED, detail_type="SageMaker Model State Change"), False),
    ],
    ids=["approved", "rejected", "pending", "other-detail-type"],
)
def test_the_rule_pattern_selects_registry_decisions(monkeypatch, event, expected):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    assert matches(event) is expected
