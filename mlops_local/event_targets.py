"""Rule targets local mode delivers itself: another account's event bus, and an SNS topic.

Cross-account delivery keeps the event's `account` (the stage account that sent it), and the tooling bus's
rules filter on it. PutEvents cannot set `account`, so the event is handed to the target bus's rules in the
embedded moto directly (the server runs in this process), where moto matches their patterns as usual.
"""

from __future__ import annotations

import copy
import json
import re
import time
from datetime import datetime
from typing import Any, cast

from moto.events.models import events_backends

_PLACEHOLDER = re.compile(r"<([\w.-]+)>")


def is_bus(arn: str) -> bool:
    """True for an event bus ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`)."""
    return arn.startswith("arn:aws:events:") and ":event-bus/" in arn


def is_topic(arn: str) -> bool:
    """True for an SNS topic ARN."""
    return arn.startswith("arn:aws:sns:")


def forward_to_bus(event: dict[str, Any], bus_arn: str) -> None:
    """Put `event`, as it is (its account too), on the bus `bus_arn` names, whatever account owns it."""
    _, _, _, region, account, resource = bus_arn.split(":", 5)
    bus = events_backends[account][region].describe_event_bus(resource.split("/", 1)[1])
    arrived = copy.deepcopy(event)
    # moto renders `time` as text when it writes an event to a queue; its rules expect epoch seconds.
    if isinstance(arrived.get("time"), str):
        arrived["time"] = datetime.fromisoformat(arrived["time"].replace("Z", "+00:00")).timestamp()
    arrived["ingestion-time"] = time.time()  # it arrives on this bus now (moto's templates read it)
    for rule in list(bus.rules.values()):
        rule.send_to_targets(cast(Any, copy.deepcopy(arrived)))


def _path(event: dict[str, Any], path: str) -> Any:
    """The value at a JSONPath of the simple `$.a.b` form EventBridge input paths use."""
    value: Any = event
    for part in path.removeprefix("$").strip(".").split("."):
        if not part:
            continue
        value = value.get(part) if isinstance(value, dict) else None
    return value


def target_input(target: dict[str, Any], event: dict[str, Any]) -> str:
    """What EventBridge sends the target: its fixed Input, the InputTransformer's text, else the event."""
    if "Input" in target:
        return str(target["Input"])
    transformer = target.get("InputTransformer")
    if transformer is None:
        return json.dumps(event)
    paths = transformer.get("InputPathsMap", {})
    values = {name: _path(event, path) for name, path in paths.items()}
    text = _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), transformer["InputTemplate"])
    try:  # a template that is one quoted string (CDK's RuleTargetInput.from_text) reaches people unquoted
        decoded = json.loads(text)
    except json.JSONDecodeError:
        return text
    return decoded if isinstance(decoded, str) else text
