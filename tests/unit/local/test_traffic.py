"""The traffic generator sends bounded, batched, identified requests to loopback endpoints only."""

import io
import json
import tarfile
import time
from types import SimpleNamespace

import boto3
import joblib
import numpy as np
import pytest

from mlops_cli.endpoint_url import is_loopback
from mlops_local.demo_model import normal_rows
from mlops_local.endpoint_emulator import EndpointEmulator
from mlops_local.traffic import send_rows


def test_sends_batches_and_returns_the_model_predictions(demo):
    rows = normal_rows(25)
    with tarfile.open(demo.artifact) as archive:
        model = joblib.load(io.BytesIO(archive.extractfile("model.joblib").read()))
    with EndpointEmulator() as emulator:
        emulator.add_endpoint("demo", demo.artifact)
        client = boto3.client("sagemaker-runtime", endpoint_url=emulator.url, region_name="us-east-1")
        result = send_rows(client, "demo", rows, batch_size=10, id_prefix="run1")
    assert (result.requests, result.rows_sent, result.complete) == (3, 25, True)
    assert result.inference_ids == ["run1-000000", "run1-000001", "run1-000002"]
    np.testing.assert_allclose(result.predictions, model.predict_proba(np.asarray(rows))[:, 1], rtol=1e-12)


class SlowRuntime:
    """A runtime stub on loopback that takes 0.1 s per request."""

    meta = SimpleNamespace(endpoint_url="http://127.0.0.1:1")

    def __init__(self):
        self.calls = []

    def invoke_endpoint(self, **kwargs):
        self.calls.append(kwargs)
        time.sleep(0.1)
        return {"Body": io.BytesIO(json.dumps([0.5] * kwargs["Body"].count(b"\n") + [0.5]).encode())}


def test_time_limit_stops_the_run_early():
    runtime = SlowRuntime()
    result = send_rows(runtime, "ep", [[1.0]] * 10, batch_size=1, time_limit_s=0.15)
    assert not result.complete
    assert result.requests == len(runtime.calls) == 2
    assert result.rows_sent == 2 and len(result.predictions) == 2


def test_every_request_carries_its_inference_id_and_csv_rows():
    runtime = SlowRuntime()
    send_rows(runtime, "ep", [[1.0, 2.5], [3.0, 4.0], [5.0, 6.0]], batch_size=2, id_prefix="p")
    assert [c["InferenceId"] for c in runtime.calls] == ["p-000000", "p-000001"]
    assert runtime.calls[0]["Body"] == b"1.0,2.5\n3.0,4.0"
    assert runtime.calls[0]["ContentType"] == "text/csv"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://localhost:1", True),
        ("http://[::1]:80", True),
        ("https://runtime.sagemaker.us-east-1.amazonaws.com", False),
        ("http://10.0.0.1:80", False),
    ],
)
def test_loopback_detection(url, expected):
    assert is_loopback(url) is expected


def test_refuses_remote_endpoints_and_unbounded_runs():
    remote = boto3.client("sagemaker-runtime", region_name="us-east-1")
    with pytest.raises(ValueError, match="loopback"):
        send_rows(remote, "ep", [[1.0]])
    with pytest.raises(ValueError, match="rows"):
        send_rows(SlowRuntime(), "ep", [])
    with pytest.raises(ValueError, match="batch_size"):
        send_rows(SlowRuntime(), "ep", [[1.0]], batch_size=0)
