"""Asynchronous endpoints: the payload goes in through S3; the answer is collected over continued calls."""

from __future__ import annotations

import copy
import json

import pytest

from lambdas.smoke_test import handler
from lambdas.smoke_test.async_invoke import AsyncOptions
from tests.handlers.smoke_test.conftest import ENDPOINT, EVENT, JOB_ID, REGION, SMOKE_TEST, Capture, manifest

CAPTURE_BUCKET = "capture-bucket"
OUTPUT = f"s3://{CAPTURE_BUCKET}/async-output/staging/churn-model/answer.out"
FAILURE = f"s3://{CAPTURE_BUCKET}/async-output/staging/churn-model/answer.err"
ASYNC = {"type": "async", "instance_type": "ml.m5.large"}
START = 1_000_000.0


class Clock:
    """A clock that only moves when the function sleeps."""

    def __init__(self) -> None:
        self.now, self.sleeps = START, 0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


@pytest.fixture
def clock(pipeline, monkeypatch) -> Clock:
    fake = Clock()
    options = AsyncOptions(CAPTURE_BUCKET, 600, 5.0, 20.0, fake.time, fake.sleep)
    monkeypatch.setattr(handler, "_async_options", lambda settings: options)
    pipeline.s3.create_bucket(Bucket=CAPTURE_BUCKET)
    pipeline.upload_manifest(manifest(SMOKE_TEST, ASYNC))
    return fake


def _continued(token: str) -> dict:
    event = copy.deepcopy(EVENT)
    event["CodePipeline.job"]["data"]["continuationToken"] = token
    return event


def _token(deadline: float = START + 600) -> str:
    return json.dumps({"output": OUTPUT, "failure": FAILURE, "deadline": deadline})


def test_first_call_submits_the_payload_through_s3_and_continues_the_job(pipeline, clock):
    location = Capture()
    pipeline.runtime_stub.add_response(
        "invoke_endpoint_async",
        {"OutputLocation": OUTPUT, "FailureLocation": FAILURE, "InferenceId": JOB_ID},
        {
            "EndpointName": ENDPOINT,
            "InputLocation": location,
            "ContentType": "application/json",
            "Accept": "application/json",
            "InferenceId": JOB_ID,
        },
    )
    token = Capture()
    pipeline.pipeline_stub.add_response(
        "put_job_success_result", {}, {"jobId": JOB_ID, "continuationToken": token}
    )

    result = pipeline.invoke()

    assert result["passed"] is True
    key = f"async-input/{ENDPOINT}/{JOB_ID}"
    assert location.value == f"s3://{CAPTURE_BUCKET}/{key}"
    stored = pipeline.s3.get_object(Bucket=CAPTURE_BUCKET, Key=key)["Body"].read()
    assert stored == SMOKE_TEST["payload"].encode()
    assert json.loads(token.value) == {"output": OUTPUT, "failure": FAILURE, "deadline": START + 600}


def test_answer_with_the_expected_shape_passes_the_job(pipeline, clock):
    pipeline.s3.put_object(Bucket=CAPTURE_BUCKET, Key=OUTPUT.split("/", 3)[3], Body=b"[[0.1, 0.9]]")
    pipeline.expect_success()

    result = pipeline.invoke(_continued(_token()))

    assert result["passed"] is True
    assert clock.sleeps == 0


def test_answer_of_the_wrong_shape_fails_the_job(pipeline, clock):
    pipeline.s3.put_object(Bucket=CAPTURE_BUCKET, Key=OUTPUT.split("/", 3)[3], Body=b'{"score": 1}')
    details = pipeline.expect_failure()

    pipeline.invoke(_continued(_token()))

    assert "wrong response shape" in details.value["message"]


def test_a_failure_object_fails_the_job_with_its_text(pipeline, clock):
    pipeline.s3.put_object(Bucket=CAPTURE_BUCKET, Key=FAILURE.split("/", 3)[3], Body=b"ModelError: bad input")
    details = pipeline.expect_failure()

    pipeline.invoke(_continued(_token()))

    assert "asynchronous request failed: ModelError: bad input" in details.value["message"]


def test_no_answer_yet_waits_then_continues_the_job_again(pipeline, clock):
    token = Capture()
    pipeline.pipeline_stub.add_response(
        "put_job_success_result", {}, {"jobId": JOB_ID, "continuationToken": token}
    )

    result = pipeline.invoke(_continued(_token()))

    assert result["passed"] is True
    assert clock.sleeps == 4  # polled every 5 s for this call's 20 s
    assert json.loads(token.value)["deadline"] == START + 600


def test_no_answer_by_the_deadline_fails_the_job(pipeline, clock):
    details = pipeline.expect_failure()

    pipeline.invoke(_continued(_token(deadline=START + 10)))

    assert "no answer within 600 s" in details.value["message"]
    assert OUTPUT in details.value["message"]


def test_an_unreadable_continuation_token_is_a_configuration_error(pipeline, clock):
    details = pipeline.expect_failure()

    pipeline.invoke(_continued("not json"))

    assert details.value["type"] == "ConfigurationError"
    assert "continuation token" in details.value["message"]


def test_without_a_payload_bucket_async_endpoints_fail_as_misconfigured(pipeline, monkeypatch):
    monkeypatch.setattr(handler, "_async_options", lambda settings: None)
    pipeline.upload_manifest(manifest(SMOKE_TEST, ASYNC))
    details = pipeline.expect_failure()

    pipeline.invoke()

    assert details.value["type"] == "ConfigurationError"
    assert "ASYNC_INPUT_BUCKET" in details.value["message"]


def test_the_payload_bucket_comes_from_the_environment(monkeypatch):
    from lambdas.smoke_test.settings import load_settings

    settings = load_settings({"AWS_REGION": REGION, "ASYNC_INPUT_BUCKET": CAPTURE_BUCKET})
    options = handler._async_options(settings)

    assert (options.input_bucket, options.timeout_seconds) == (CAPTURE_BUCKET, 1200)
    assert handler._async_options(load_settings({"AWS_REGION": REGION})) is None
