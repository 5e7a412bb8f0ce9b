"""InvokeEndpointAsync on the emulator: the request from S3, the answer or the error written back to S3."""

import json

import numpy as np
import pytest
from botocore.exceptions import ClientError

from mlops_local.demo_model import demo_data
from mlops_local.endpoint_emulator import EndpointEmulator
from tests.unit.local.test_endpoint_emulator import csv_body, direct_sklearn, runtime


@pytest.fixture
def served(demo, s3_bucket):
    s3, bucket = s3_bucket
    with EndpointEmulator(s3) as running:
        running.add_endpoint("async-demo", demo.artifact, async_output=f"s3://{bucket}/answers/")
        running.add_endpoint("realtime-demo", demo.artifact)
        yield running, s3, bucket


def _read(s3, uri):
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_the_answer_is_written_where_the_202_says(served, demo):
    emulator, s3, bucket = served
    rows = demo_data().held_out_x[:3]
    s3.put_object(Bucket=bucket, Key="requests/1.csv", Body=csv_body(rows).encode())

    response = runtime(emulator.url).invoke_endpoint_async(
        EndpointName="async-demo",
        InputLocation=f"s3://{bucket}/requests/1.csv",
        ContentType="text/csv",
        Accept="application/json",
        InferenceId="req-1",
    )

    assert response["InferenceId"] == "req-1"
    assert response["OutputLocation"].startswith(f"s3://{bucket}/answers/")
    expected = direct_sklearn(demo.artifact).predict_proba(rows)[:, 1]
    np.testing.assert_allclose(json.loads(_read(s3, response["OutputLocation"])), expected, rtol=1e-12)


def test_a_request_the_model_refuses_is_written_to_the_failure_location(served):
    emulator, s3, bucket = served
    s3.put_object(Bucket=bucket, Key="requests/bad.csv", Body=b"not,numbers")

    response = runtime(emulator.url).invoke_endpoint_async(
        EndpointName="async-demo", InputLocation=f"s3://{bucket}/requests/bad.csv", ContentType="text/csv"
    )

    assert b"CLIENT_ERROR_FROM_MODEL" in _read(s3, response["FailureLocation"])
    with pytest.raises(ClientError):
        _read(s3, response["OutputLocation"])


@pytest.mark.parametrize(
    ("endpoint", "location", "message"),
    [
        ("realtime-demo", "s3://{bucket}/requests/x.csv", "not an asynchronous inference endpoint"),
        ("async-demo", "s3://{bucket}/requests/missing.csv", "Could not read"),
        ("nowhere", "s3://{bucket}/requests/x.csv", "not found"),
        ("async-demo", "s3://", "InputLocation must be an s3:// URI"),
        ("async-demo", "s3:///requests/x.csv", "InputLocation must be an s3:// URI"),
        ("async-demo", "https://{bucket}/requests/x.csv", "InputLocation must be an s3:// URI"),
    ],
)
def test_wrong_calls_are_validation_errors(served, endpoint, location, message):
    emulator, _, bucket = served
    with pytest.raises(ClientError) as raised:
        runtime(emulator.url).invoke_endpoint_async(
            EndpointName=endpoint, InputLocation=location.format(bucket=bucket), ContentType="text/csv"
        )
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert message in raised.value.response["Error"]["Message"]
