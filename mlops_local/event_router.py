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
from mlops_local.event_targets import forward_to_bus, is_bus, is_topic, target_input
from mlops_local.handler_runtime import FunctionSpec, HandlerRuntime
from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import LocalAws
from mlops_local.stack_resources import Clients

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
    buses: tuple[str, ...] = ()  # event buses (of the tooling account) the rule forwards to
    topics: tuple[tuple[str, dict[str, Any]], ...] = ()  # SNS topic ARN, the target as the template has it
    clients: Any = None  # the rule's account (its queue is there); None: the tooling account


@dataclass(frozen=True)
class Delivery:
    """One event handed to one function, and what the function returned or raised."""

    rule: str
    function: str
    event: dict[str, Any]
    result: Any = None
    error: str | None = None


def _queue(aws: Clients, name: str) -> tuple[str, str]:
    """Create a queue; return (URL, ARN)."""
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name[:80])["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _put_rule(aws: Clients, name: str, bus: str, pattern: dict[str, Any], queue_arn: str) -> None:
    """A rule on `bus` with one SQS target."""
    events = aws.client("events")
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern), State="ENABLED")
    # The whole event, `account` included (moto's default input to a target leaves it out).
    whole = {"InputTemplate": "<aws.events.event.json>"}
    target = {"Id": "capture", "Arn": queue_arn, "InputTransformer": whole}
    events.put_targets(Rule=name, EventBusName=bus, Targets=[target])


class EventRouter:
    """The template's rules in moto, drained into in-process handler calls."""

    def __init__(
        self, aws: LocalAws, template: dict[str, Any], resources: ResourceMap, specs: dict[str, FunctionSpec]
    ) -> None:
        self._aws = aws
        self._runtime = HandlerRuntime(lambda role: aws.sessions.assume(role).session)
        self._sqs, self._events = aws.client("sqs"), aws.client("events")
        self.routes: list[Route] = []
        self.deliveries: list[Delivery] = []
        self.bus_events: list[dict[str, Any]] = []
        self.arrivals: list[dict[str, Any]] = []  # events of other accounts that reached the tooling bus
        self._arrivals: str | None = None  # the queue of other accounts' events on the tooling bus
        self.add_stack(aws, template, resources, specs)
        self.bus = resources.ref(
            next(
                r
                for r in template["Resources"]
                if template["Resources"][r]["Type"] == "AWS::Events::EventBus"
            )
        )
        self._recorder, arn = _queue(aws, f"{resources.stack_name}-{RECORDER}")
        _put_rule(aws, RECORDER, self.bus, {"source": [ORCHESTRATOR_SOURCE]}, arn)
        self._puts, arn = _queue(aws, f"{resources.stack_name}-{CLOUDTRAIL}")
        _put_rule(aws, CLOUDTRAIL, "default", {"source": ["aws.s3"], "detail-type": ["Object Created"]}, arn)

    def add_stack(
        self,
        clients: Clients,
        template: dict[str, Any],
        resources: ResourceMap,
        specs: dict[str, FunctionSpec],
    ) -> None:
        """Route a stack's rules, created in the account `clients` act in."""
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::Events::Rule":
                props = resources.resolve(resource["Properties"])
                self.routes.append(self._route(logical_id, props, specs, clients))

    def record_arrivals(self, accounts: list[str]) -> None:
        """Record every event of these accounts that reaches the tooling bus (what stage accounts forward)."""
        self._arrivals, arn = _queue(self._aws, f"{self.bus}-arrivals")
        _put_rule(self._aws, "arrivals", self.bus, {"account": accounts}, arn)

    def _route(
        self, logical_id: str, props: dict[str, Any], specs: dict[str, FunctionSpec], clients: Clients
    ) -> Route:
        """Create one rule in moto, in its account, with a capturing queue as its target."""
        url, arn = _queue(clients, f"rule-{logical_id}")
        _put_rule(clients, logical_id, props.get("EventBusName", "default"), props["EventPattern"], arn)
        declared = props.get("Targets", [])
        arns = [str(target["Arn"]) for target in declared]
        targets = tuple(s for s in specs.values() if any(a.endswith(f":function:{s.name}") for a in arns))
        machines = tuple(
            (str(t["Arn"]), t.get("Input")) for t in declared if ":stateMachine:" in str(t["Arn"])
        )
        buses = tuple(a for a in arns if is_bus(a))
        topics = tuple((str(t["Arn"]), t) for t in declared if is_topic(str(t["Arn"])))
        own = None if clients is self._aws else clients
        return Route(logical_id, url, targets, machines, buses, topics, own)

    def _receive(self, queue_url: str, clients: Clients | None = None) -> list[dict[str, Any]]:
        """Every message waiting in a queue, deleted as read, as event documents."""
        sqs = self._sqs if clients is None else clients.client("sqs")
        bodies: list[dict[str, Any]] = []
        while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages"):
            for message in messages:
                body = json.loads(message["Body"])
                body.pop("ingestion-time", None)  # moto's own bookkeeping, not part of an EventBridge event
                bodies.append(body)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
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
        for bus in route.buses:  # the tooling bus's rules take it from here (next round of drain)
            forward_to_bus(event, bus)
            done.append(Delivery(route.rule, bus.rsplit("/", 1)[-1], event, "forwarded"))
        for topic, target in route.topics:
            published = self._aws.client("sns").publish(TopicArn=topic, Message=target_input(target, event))
            done.append(Delivery(route.rule, topic.rsplit(":", 1)[-1], event, published["MessageId"]))
        self.deliveries.extend(done)
        return done

    def drain(self) -> list[Delivery]:
        """Deliver every waiting event until no rule has any left; record the orchestrator's own events."""
        done: list[Delivery] = []
        while True:
            self.bus_events.extend(self._receive(self._recorder))
            if self._arrivals is not None:
                self.arrivals.extend(self._receive(self._arrivals))
            for created in self._receive(self._puts):
                self._events.put_events(Entries=[cloudtrail_put(created)])
            batch = [
                (route, event)
                for route in self.routes
                for event in self._receive(route.queue_url, route.clients)
            ]
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
