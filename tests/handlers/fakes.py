"""Shared doubles for handler tests: a Lambda context, a reading deadline, SQS capture of SNS messages and bus
events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"


@dataclass
class FakeContext:
    """The parts of the Lambda context the handlers and Powertools read."""

    function_name: str = "function"
    memory_limit_in_mb: int = 256
    aws_request_id: str = "00000000-0000-0000-0000-000000000001"
    remaining_ms: int = 60_000

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class Countdown:
    """A reading deadline (mlops_drift.file_read.Deadline) that passes after `checks` questions: time cannot
    be made to pass in a test."""

    def __init__(self, checks: int) -> None:
        self.left = checks

    def passed(self) -> bool:
        self.left -= 1
        return self.left < 0


class SqsCapture:
    """SQS queues in moto that receive what a handler publishes, so tests can read it back."""

    def __init__(self, region: str = REGION) -> None:
        self.region = region
        self.sqs = boto3.client("sqs", region_name=region)

    def queue(self, name: str) -> tuple[str, str]:
        """A new queue's URL and ARN."""
        url: str = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn: str = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        return url, arn

    def topic(self, name: str = "notifications") -> tuple[str, str]:
        """A topic whose raw messages land in a queue: (topic ARN, queue URL)."""
        sns = boto3.client("sns", region_name=self.region)
        arn: str = sns.create_topic(Name=name)["TopicArn"]
        url, queue_arn = self.queue(f"{name}-capture")
        sns.subscribe(
            TopicArn=arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}
        )
        return arn, url

    def bus(self, name: str = "mlops", source: str = "mlops.orchestrator") -> str:
        """A bus whose events from `source` land in a queue; returns the queue URL."""
        events = boto3.client("events", region_name=self.region)
        events.create_event_bus(Name=name)
        url, arn = self.queue(f"{name}-events")
        events.put_rule(Name="all", EventBusName=name, EventPattern=json.dumps({"source": [source]}))
        events.put_targets(Rule="all", EventBusName=name, Targets=[{"Id": "q", "Arn": arn}])
        return url

    def drain(self, url: str) -> list[dict[str, Any]]:
        """Every message in the queue, removed from it."""
        messages: list[dict[str, Any]] = []
        while batch := self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            messages += batch
            for message in batch:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return messages


class JobResults:
    """Expected CodePipeline job results, for worlds whose `pipeline_stub` stubs the handler's client."""

    pipeline_stub: Any
    job_id: str

    def expect_success(self) -> None:
        self.pipeline_stub.add_response("put_job_success_result", {}, {"jobId": self.job_id})

    def expect_failure(self) -> Any:
        """Expect a failure result; the returned Capture holds its failureDetails."""
        from tests.handlers.deployment_events.aws_world import Capture

        details = Capture()
        expected = {"jobId": self.job_id, "failureDetails": details}
        self.pipeline_stub.add_response("put_job_failure_result", {}, expected)
        return details

    def failure(self) -> dict[str, Any]:
        """Invoke the handler with the job event, expecting a failure result; its failureDetails."""
        details = self.expect_failure()
        self.invoke()  # type: ignore[attr-defined]
        found: dict[str, Any] = details.value
        return found


def routes(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether an EventBridge rule with `pattern` routes `event` (moto's rule engine, rule -> SQS)."""
    from moto import mock_aws

    with mock_aws():
        capture = SqsCapture()
        url, arn = capture.queue("matched")
        events = boto3.client("events", region_name=REGION)
        events.put_rule(Name="rule", EventPattern=json.dumps(pattern))
        events.put_targets(Rule="rule", Targets=[{"Id": "q", "Arn": arn}])
        entry = {
            "Source": event["source"],
            "DetailType": event["detail-type"],
            "Detail": json.dumps(event["detail"]),
            "Resources": event.get("resources", []),
        }
        assert events.put_events(Entries=[entry])["FailedEntryCount"] == 0
        return bool(capture.sqs.receive_message(QueueUrl=url).get("Messages"))


def metric_statistics(cloudwatch: Any, namespace: str, name: str, dimensions: dict[str, str]) -> list[Any]:
    """Datapoints (Minimum, Maximum, SampleCount) of a metric put within the last hour."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    points: list[Any] = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName=name,
        Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(hours=1),
        Period=7200,
        Statistics=["Maximum", "Minimum", "SampleCount"],
    )["Datapoints"]
    return points


def serve_world(
    monkeypatch: Any, runtime: Any, world: Any, load_settings: Any, clients: Any
) -> Iterator[Any]:
    """Inside moto, build `world()`; the handler's runtime then uses the world's settings (from its
    env()) and a `clients` dataclass filled from the world's attributes of the same names."""
    from dataclasses import fields

    from moto import mock_aws

    with mock_aws():
        built = world()
        made = clients(**{field.name: getattr(built, field.name) for field in fields(clients)})
        injected = (load_settings(built.env()), made)
        monkeypatch.setattr(runtime, "get", lambda: injected)
        yield built
