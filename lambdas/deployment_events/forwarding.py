"""Which events a stage account forwards to the tooling account's bus (shared by CDK and local mode)."""

from __future__ import annotations

from typing import Any

from lambdas.common.events import EVENT_SOURCE
from lambdas.deployment_events.patterns import ENDPOINT_DETAIL_TYPES, TAG_MODEL_NAME
from mlops_contract.pipeline import ENDPOINT_STACK_PREFIX


def forwarded_patterns(alarm_prefixes: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The orchestrator's own events, its endpoints' state changes, its endpoint stacks' status changes and
    its alarms' state changes (alarm names start with one of `alarm_prefixes`), by rule name."""
    return {
        "Lifecycle": {"source": [EVENT_SOURCE]},
        "Endpoints": {
            "source": ["aws.sagemaker"],
            "detail-type": list(ENDPOINT_DETAIL_TYPES),
            "detail": {"Tags": {TAG_MODEL_NAME: [{"exists": True}]}},
        },
        "EndpointStacks": {
            "source": ["aws.cloudformation"],
            "detail-type": ["CloudFormation Stack Status Change"],
            "detail": {"stack-id": [{"wildcard": f"*:stack/{ENDPOINT_STACK_PREFIX}*"}]},
        },
        "Alarms": {
            "source": ["aws.cloudwatch"],
            "detail-type": ["CloudWatch Alarm State Change"],
            "detail": {"alarmName": [{"prefix": prefix} for prefix in alarm_prefixes]},
        },
    }
