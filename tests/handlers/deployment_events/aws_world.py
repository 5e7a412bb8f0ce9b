"""A moto world for the deployment functions: SNS and the orchestrator bus, both captured through SQS."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.stub import Stubber

from lambdas.common.events import EVENT_SOURCE
from tests.handlers.fakes import FakeContext

REGION = "us-east-1"
BUS = "orchestrator-bus"
PIPELINES = {"realtime": "mlops-realtime", "serverless": "mlops-serverless", "async": "mlops-async"}
EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"


def load_event(name: str) -> dict[str, Any]:
    """A sample event from tests/events."""
    event: dict[str, Any] = json.loads((EVENTS_DIR / name).read_text())
    return event


class Capture:
    """Matches any value in Stubber's expected parameters and remembers every value seen."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    @property
    def value(self) -> Any:
        return self.values[-1]

    def __eq__(self, other: object) -> bool:
        self.values.append(other)
        return True

    def __hash__(self) -> int:
        return 0


class AwsWorld:
    """SNS topic and orchestrator bus (inside mock_aws), each delivering to an SQS queue the test reads."""

    def __init__(self) -> None:
        self.sns = boto3.client("sns", region_name=REGION)
        self.events = boto3.client("events", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.topic_arn = self.sns.create_topic(Name="notifications")["TopicArn"]
        self.events.create_event_bus(Name=BUS)
        self._notes = self._queue("notes")
        self.sns.subscribe(TopicArn=self.topic_arn, Protocol="sqs", Endpoint=self._arn(self._notes))
        self._bus = self._queue("bus")
        self.events.put_rule(
            Name="all", EventBusName=BUS, EventPattern=json.dumps({"source": [EVENT_SOURCE]})
        )
        self.events.put_targets(
            Rule="all", EventBusName=BUS, Targets=[{"Id": "q", "Arn": self._arn(self._bus)}]
        )

    def env(self) -> dict[str, str]:
        """The environment the deployment functions read."""
        return {
            "PIPELINE_NAMES": json.dumps(PIPELINES),
            "NOTIFICATION_TOPIC_ARN": self.topic_arn,
            "EVENT_BUS_NAME": BUS,
        }

    def notifications(self) -> list[dict[str, str]]:
        """Every SNS message published so far, as {"Subject", "Message"}."""
        return [{"Subject": b.get("Subject", ""), "Message": b["Message"]} for b in self._drain(self._notes)]

    def bus_events(self) -> list[dict[str, Any]]:
        """Every event put on the orchestrator bus so far."""
        return self._drain(self._bus)

    def _queue(self, name: str) -> str:
        url: str = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        return url

    def _arn(self, url: str) -> str:
        arn: str = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        return arn

    def _drain(self, url: str) -> list[dict[str, Any]]:
        bodies = []
        while messages := self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            for message in messages:
                bodies.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return bodies


class PipelineWorld(AwsWorld):
    """An AwsWorld plus a Stubber for CodePipeline (moto lacks parts of it) and the function's context."""

    def __init__(self, function_name: str) -> None:
        super().__init__()
        self.codepipeline = boto3.client("codepipeline", region_name=REGION)
        self.stub = Stubber(self.codepipeline)
        self.context = FakeContext(function_name=function_name)

    def call(
        self, lambda_handler: Callable[[dict[str, Any], Any], Any], event: dict[str, Any]
    ) -> dict[str, Any]:
        """Run the handler on a copy of the event; every stubbed CodePipeline answer must have been used."""
        with self.stub:
            result: dict[str, Any] = lambda_handler(copy.deepcopy(event), self.context)
            self.stub.assert_no_pending_responses()
        return result
