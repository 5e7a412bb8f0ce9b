"""EventBridge events of the register function: ModelRegistered and ModelRejected."""

from __future__ import annotations

import json
from typing import Any

from lambdas.common.events import EVENT_SOURCE, DetailType


class PublishError(RuntimeError):
    """EventBridge did not accept an event; raising lets the delivery be retried."""


def put_event(events: Any, bus_name: str, detail_type: DetailType, detail: dict[str, Any]) -> None:
    """Put one event on the orchestrator's bus, failing loudly if it was not accepted."""
    response = events.put_events(
        Entries=[
            {
                "Source": EVENT_SOURCE,
                "DetailType": str(detail_type),
                "Detail": json.dumps(detail, sort_keys=True),
                "EventBusName": bus_name,
            }
        ]
    )
    if response.get("FailedEntryCount", 0):
        codes = [entry.get("ErrorCode") for entry in response.get("Entries", [])]
        raise PublishError(f"{detail_type} event rejected by EventBridge: {codes}")
