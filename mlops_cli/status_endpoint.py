"""`mlops status` lines for one stage's endpoint (the state itself: lambdas.common.endpoint_status)."""

from __future__ import annotations

from typing import Any

from lambdas.common.endpoint_status import Health


def render_endpoint(state: dict[str, Any]) -> list[str]:
    """Lines for one endpoint: status and verdict, the failure reason, then each variant."""
    line = f"  {state['stage']}: {state['endpoint']}  {state['status']}"
    if state.get("account"):
        line += f"  (account {state['account']})"
    verdict = state.get("health")
    if verdict not in {Health.HEALTHY, Health.NOT_DEPLOYED, None}:
        line += f"  [{str(verdict).upper()}]"
    lines = [line]
    if state.get("problem"):
        lines.append(f"      not read: {state['problem']}")
    if state.get("failure_reason"):
        lines.append(f"      failure reason: {state['failure_reason']}")
    for variant in state.get("variants") or []:
        lines.append(f"      variant {variant['name']}: {_capacity(variant)}")
    return lines


def _capacity(variant: dict[str, Any]) -> str:
    """Instances running of desired, traffic weight and in-progress steps of one variant."""
    if variant["serverless"]:
        text = "serverless"
    else:
        current, desired = variant["current_instances"], variant["desired_instances"]
        text = f"{_count(current)} of {_count(desired)} desired instances running"
    if variant["current_weight"] is not None:
        text += f", weight {variant['current_weight']:g}"
    if variant["steps"]:
        text += f" ({'; '.join(variant['steps'])})"
    return text


def _count(value: Any) -> str:
    return str(value) if isinstance(value, int) else "?"
