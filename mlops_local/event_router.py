"""Routes events by the synthesized EventBridge rules: moto matches, the real handlers run in-process.

Each rule of the template is created in moto with its own pattern and bus, and one SQS queue as a
capturing target in place of its function. S3 `Object Created` events (moto's EventBridge
notifications of the registry bucket) and the events the handlers put on the orchestrator bus land
in those queues; `drain()` hands each one to the rule's target function, as EventBridge would. Each
S3 event also yields CloudTrail's record of the same put (the trail of data events has no moto twin).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lambdas.register.upload_identity import PUT_EVENTS
from mlops_local.handler_runtime import FunctionSpec, HandlerRuntime
from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import LocalAws

RECORDER = "recorder"
CLOUDTRAIL = "cloudtrail"
# Who uploads in local mode, as CloudTrail would name an Identity Center user's session.
LOCAL_UPLOADER = "arn:aws:sts::123456789012:assumed-role/DataScientist/local-uploader"
ORCHESTRATOR_SOURCE = "mlops.orchestrator"


@dataclass(frozen=True)
class Route:
    """One synthesized rule: its queue in moto and the functions it targets."""

    rule: str
    queue_url: str
    targets: tuple[FunctionSpec, ...]
    machines: tuple[tuple[str, str | None], ...] = ()  # state machine ARN, the target's fixed Input


@dataclass(frozen=True)
class Delivery:
    """One event handed to one function, and what the function returned or raised."""

    rule: str
    function: str
    event: dict[str, Any]
    result: Any = None
    error: str | None = None


def _queue(aws: LocalAws, name: str) -> tuple[str, str]:
    """Create a queue; return (URL, ARN)."""
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name[:80])["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _put_rule(aws: LocalAws, name: str, bus: str, pattern: dict[str, Any], queue_arn: str) -> None:
    """A rule on `bus` with one SQS target."""
    events = aws.client("events")
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern), State="ENABLED")
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "capture", "Arn": queue_arn}])


class EventRouter:
    """The template's rules in moto, drained into in-process handler calls."""

    def __init__(
        self, aws: LocalAws, template: dict[str, Any], resources: ResourceMap, specs: dict[str, FunctionSpec]
    ) -> None:
        self._aws, self._runtime = aws, HandlerRuntime()
        self._sqs, self._events = aws.client("sqs"), aws.client("events")
        self.routes: list[Route] = []
        self.deliveries: list[Delivery] = []
        self.bus_events: list[dict[str, Any]] = []
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::Events::Rule":
                self.routes.append(self._route(logical_id, resources.resolve(resource["Properties"]), specs))
        bus = next(
            r for r in template["Resources"] if template["Resources"][r]["Type"] == "AWS::Events::EventBus"
        )
        self._recorder, arn = _queue(aws, f"{resources.stack_name}-{RECORDER}")
        _put_rule(aws, RECORDER, resources.ref(bus), {"source": [ORCHESTRATOR_SOURCE]}, arn)
        self._puts, arn = _queue(aws, f"{resources.stack_name}-{CLOUDTRAIL}")
        _put_rule(aws, CLOUDTRAIL, "default", {"source": ["aws.s3"], "detail-type": ["Object Created"]}, arn)

    def _route(self, logical_id: str, props: dict[str, Any], specs: dict[str, FunctionSpec]) -> Route:
        """Create one rule in moto with a capturing queue as its target."""
        url, arn = _queue(self._aws, f"rule-{logical_id}")
        _put_rule(self._aws, logical_id, props.get("EventBusName", "default"), props["EventPattern"], arn)
        arns = [target["Arn"] for target in props.get("Targets", [])]
        targets = tuple(s for s in specs.values() if any(a.endswith(f":function:{s.name}") for a in arns))
        machines = tuple(
            (str(t["Arn"]), t.get("Input"))
            for t in props.get("Targets", [])
            if ":stateMachine:" in str(t["Arn"])
        )
        return Route(logical_id, url, targets, machines)

    def _receive(self, queue_url: str) -> list[dict[str, Any]]:
        """Every message waiting in a queue, deleted as read, as event documents."""
        bodies: list[dict[str, Any]] = []
        while messages := self._sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            for message in messages:
                bodies.append(json.loads(message["Body"]))
                self._sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return bodies

    def deliver(self, route: Route, event: dict[str, Any]) -> list[Delivery]:
        """Hand one event to every target of a route (a handler error is recorded, as Lambda would log it)."""
        done = []
        for spec in route.targets:
            try:
                delivery = Delivery(route.rule, spec.logical_id, event, self._runtime.invoke(spec, event))
            except Exception as error:  # an async invocation's failure goes to retries and the DLQ
                delivery = Delivery(
                    route.rule, spec.logical_id, event, error=f"{type(error).__name__}: {error}"
                )
            done.append(delivery)
        for arn, text in route.machines:  # EventBridge starts the execution; the training runner runs it
            started = self._aws.client("stepfunctions").start_execution(
                stateMachineArn=arn, input=text if text is not None else json.dumps(event)
            )
            done.append(Delivery(route.rule, arn.rsplit(":", 1)[-1], event, started["executionArn"]))
        self.deliveries.extend(done)
        return done

    def drain(self) -> list[Delivery]:
        """Deliver every waiting event until no rule has any left; record the orchestrator's own events."""
        done: list[Delivery] = []
        while True:
            self.bus_events.extend(self._receive(self._recorder))
            for created in self._receive(self._puts):
                self._events.put_events(Entries=[cloudtrail_put(created)])
            batch = [(route, event) for route in self.routes for event in self._receive(route.queue_url)]
            if not batch:
                return done
            for route, event in batch:
                done.extend(self.deliver(route, event))

    def route_named(self, fragment: str) -> Route:
        """The route whose rule's logical ID contains `fragment` (e.g. "ManifestUploaded")."""
        return next(route for route in self.routes if fragment in route.rule)

    def invoke(self, spec: FunctionSpec, event: Any) -> Any:
        """Invoke a function directly (schedules, pipeline actions)."""
        return self._runtime.invoke(spec, event)


def cloudtrail_put(created: dict[str, Any]) -> dict[str, Any]:
    """CloudTrail's record of the put behind an S3 `Object Created` event (same request ID), as an entry
    for PutEvents: what a trail with S3 data events sends EventBridge besides S3's own event."""
    detail = created["detail"]
    record = {
        "eventSource": "s3.amazonaws.com",
        # moto's S3 events give the reason "ObjectCreated" where S3 names the call (PutObject, ...)
        "eventName": reason if (reason := detail.get("reason")) in PUT_EVENTS else "PutObject",
        "eventTime": str(created.get("time")),
        "requestID": detail.get("request-id"),
        "userIdentity": {"type": "AssumedRole", "arn": LOCAL_UPLOADER},
        "requestParameters": {"bucketName": detail["bucket"]["name"], "key": detail["object"]["key"]},
        "responseElements": {"x-amz-version-id": detail["object"].get("version-id")},
    }
    return {"Source": "aws.s3", "DetailType": "AWS API Call via CloudTrail", "Detail": json.dumps(record)}
