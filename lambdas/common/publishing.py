"""Telling the world what happened: one event on the orchestrator's bus, one notification on its topic."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lambdas.common.events import EVENT_SOURCE, DetailType

SUBJECT_LIMIT = 100  # SNS subjects: ASCII, at most 100 characters


@dataclass(frozen=True)
class PipelineClients:
    """CodePipeline, SNS and EventBridge: what the functions that start or report deployments use."""

    codepipeline: Any
    sns: Any
    events: Any


class PublishError(RuntimeError):
    """EventBridge did not accept an event; raising lets the invocation be retried."""


def put_event(events: Any, bus_name: str, detail_type: DetailType, detail: dict[str, Any]) -> None:
    """Put one event on the orchestrator's bus, raising PublishError if EventBridge did not accept it."""
    entry = {
        "Source": EVENT_SOURCE,
        "DetailType": str(detail_type),
        "Detail": json.dumps(detail, sort_keys=True),
        "EventBusName": bus_name,
    }
    response = events.put_events(Entries=[entry])
    if response.get("FailedEntryCount", 0):
        codes = [e.get("ErrorCode") for e in response.get("Entries", []) if e.get("ErrorCode")]
        raise PublishError(f"{detail_type} event rejected by EventBridge: {codes}")


def sns_subject(text: str) -> str:
    """A subject SNS accepts: non-ASCII characters replaced, at most SUBJECT_LIMIT characters."""
    return text.encode("ascii", "replace").decode()[:SUBJECT_LIMIT]


def notify(sns: Any, topic_arn: str, subject: str, message: str) -> None:
    """Publish one notification (e-mailed to the topic's subscribers)."""
    sns.publish(TopicArn=topic_arn, Subject=sns_subject(subject), Message=message)
