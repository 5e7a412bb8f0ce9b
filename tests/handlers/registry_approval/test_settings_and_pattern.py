"""Registry-approval settings parse the CDK contract; the rule pattern selects exactly the decisions."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from lambdas.registry_approval.patterns import PACKAGE_APPROVED_PATTERN
from lambdas.registry_approval.settings import load_settings
from tests.handlers.deployment_events.aws_world import REGION
from tests.handlers.fakes import routes
from tests.handlers.registry_approval.conftest import APPROVED, REJECTED

NAMES = {"realtime": "rt", "serverless": "sl", "async": "as"}


def test_settings_list_the_pipelines_in_a_fixed_order_and_the_stage():
    settings = load_settings(
        {
            "PIPELINE_NAMES": json.dumps(NAMES),
            "APPROVAL_STAGE_NAME": "Production",
            "NOTIFICATION_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t",
            "REGISTRY_BUCKET_NAME": "registry",
        }
    )

    assert settings.pipeline_names == ("rt", "sl", "as")
    assert settings.approval_stage == "Production"
    assert settings.registry_bucket == "registry"


def test_settings_require_the_stage_name():
    with pytest.raises(KeyError, match="APPROVAL_STAGE_NAME"):
        load_settings({"PIPELINE_NAMES": json.dumps(NAMES)})
    with pytest.raises(ValueError, match="APPROVAL_STAGE_NAME"):
        load_settings({"PIPELINE_NAMES": json.dumps(NAMES), "APPROVAL_STAGE_NAME": " "})


def matches(event: dict[str, Any]) -> bool:
    return routes(PACKAGE_APPROVED_PATTERN, event)


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
