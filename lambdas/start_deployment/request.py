"""The ModelRegistered event that starts a deployment, and the rule pattern that selects it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lambdas.common.events import EVENT_SOURCE, DetailType

# The EventBridge rule on the orchestrator bus that targets this function.
MODEL_REGISTERED_PATTERN: dict[str, Any] = {
    "source": [EVENT_SOURCE],
    "detail-type": [str(DetailType.MODEL_REGISTERED)],
}


def parse_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """Return the detail of a ModelRegistered event; raise ValueError for any other event."""
    if event.get("source") != EVENT_SOURCE or event.get("detail-type") != DetailType.MODEL_REGISTERED:
        raise ValueError("not a ModelRegistered event of the orchestrator")
    detail = event.get("detail")
    return dict(detail) if isinstance(detail, Mapping) else {}
