"""Capture records have SageMaker's exact JSON Lines format and layout, are sampled, and parse."""

import base64
import json
import random
import re
import uuid
from datetime import UTC, datetime

import boto3
import numpy as np

from mlops_drift import parse_capture
from mlops_local.data_capture import CaptureConfig, CaptureWriter, Exchange
from mlops_local.demo_model import demo_data
from mlops_local.endpoint_emulator import EndpointEmulator

KEY = re.compile(
    r"^capture/demo-ep/AllTraffic/\d{4}/\d{2}/\d{2}/\d{2}/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl$"
)
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class RecordingS3:
    """Stands in for an S3 client: keeps every put_object."""

    def __init__(self):
        self.objects = {}

    def put_object(self, Bucket, Key, Body, **_):  # noqa: N803 - boto3 parameter names
        self.objects[f"{Bucket}/{Key}"] = Body


def lines_of(s3, bucket):
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    return keys, [
        line
        for key in keys
        for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
    ]


def test_emulator_writes_sagemaker_capture_files(s3_bucket, demo):
    s3, bucket = s3_bucket
    rows = demo_data().held_out_x[:5].tolist()
    config = CaptureConfig(f"s3://{bucket}/capture/")
    with EndpointEmulator(s3, flush_every=3) as emulator:
        emulator.add_endpoint("demo-ep", demo.artifact, capture=config)
        client = boto3.client("sagemaker-runtime", endpoint_url=emulator.url, region_name="us-east-1")
        answers = []
        for i, row in enumerate(rows):
            body = ",".join(map(repr, row)) if i % 2 == 0 else json.dumps({"instances": [row]})
            kind = "text/csv" if i % 2 == 0 else "application/json"
            extra = {"InferenceId": f"req-{i}"} if i != 4 else {}
            response = client.invoke_endpoint(
                EndpointName="demo-ep", Body=body, ContentType=kind, Accept="application/json", **extra
            )
            answers.append(json.loads(response["Body"].read())[0])
    keys, lines = lines_of(s3, bucket)
    assert len(keys) == 2  # 3 records flushed by count, 2 on close
    assert all(KEY.match(key) for key in keys), keys
    events = [json.loads(line) for line in lines]
    for i, event in enumerate(events):
        assert set(event) == {"captureData", "eventMetadata", "eventVersion"}
        assert event["eventVersion"] == "0"
        assert set(event["captureData"]) == {"endpointInput", "endpointOutput"}
        inp, out = event["captureData"]["endpointInput"], event["captureData"]["endpointOutput"]
        assert set(inp) == set(out) == {"observedContentType", "mode", "data", "encoding"}
        assert (inp["mode"], out["mode"]) == ("INPUT", "OUTPUT")
        assert inp["encoding"] == ("CSV" if i % 2 == 0 else "JSON")
        assert (out["encoding"], out["observedContentType"]) == ("JSON", "application/json")
        meta = event["eventMetadata"]
        assert set(meta) == (
            {"eventId", "inferenceTime", "inferenceId"} if i != 4 else {"eventId", "inferenceTime"}
        )
        assert TIME.match(meta["inferenceTime"])
        uuid.UUID(meta["eventId"])
    batch = parse_capture(lines)
    assert batch.malformed_lines == 0
    np.testing.assert_allclose(np.column_stack([batch.features.numeric[f"c{j}"] for j in range(30)]), rows)
    np.testing.assert_allclose(batch.numeric_predictions(), answers)
    assert list(batch.inference_ids[:4]) == ["req-0", "req-1", "req-2", "req-3"]


def exchange(body=b"1,2,3", kind="text/csv", inference_id=None):
    return Exchange(body, kind, b"[0.5]", "application/json", inference_id)


def test_sampling_keeps_about_the_configured_share():
    s3 = RecordingS3()
    writer = CaptureWriter(s3, flush_every=10_000, rng=random.Random(7))
    config = CaptureConfig("s3://bucket/p", sampling_percent=30)
    kept = sum(writer.record("ep", "AllTraffic", config, exchange()) for _ in range(2000))
    writer.flush()
    assert 520 <= kept <= 680  # 30% of 2000 = 600, well inside binomial spread
    (body,) = s3.objects.values()
    assert len(body.decode().splitlines()) == kept


def test_zero_sampling_writes_nothing():
    s3 = RecordingS3()
    writer = CaptureWriter(s3)
    config = CaptureConfig("s3://bucket/p", sampling_percent=0)
    assert not any(writer.record("ep", "v", config, exchange()) for _ in range(200))
    assert writer.flush() == [] and s3.objects == {}


def test_undeclared_content_types_are_base64_and_still_parse():
    s3 = RecordingS3()
    writer = CaptureWriter(s3)
    config = CaptureConfig("s3://bucket", csv_content_types=(), json_content_types=())
    writer.record("ep", "v", config, exchange(b"4,5,6", "text/csv; charset=utf-8", "id-1"))
    (uri,) = writer.flush()
    assert uri.startswith("s3://bucket/ep/v/")  # no prefix: the endpoint folder sits at the bucket root
    (line,) = next(iter(s3.objects.values())).decode().splitlines()
    block = json.loads(line)["captureData"]["endpointInput"]
    assert block["encoding"] == "BASE64"
    assert block["observedContentType"] == "text/csv; charset=utf-8"
    assert base64.b64decode(block["data"]) == b"4,5,6"
    assert parse_capture([line]).features.numeric["c2"].tolist() == [6.0]


def test_records_of_different_hours_go_to_their_hour_folders():
    s3 = RecordingS3()
    times = iter([datetime(2025, 11, 26, 8, 59, 59, 999000, UTC), datetime(2025, 11, 26, 9, 0, 0, 1000, UTC)])
    writer = CaptureWriter(s3, clock=lambda: next(times))
    config = CaptureConfig("s3://bucket/cap")
    writer.record("ep", "AllTraffic", config, exchange())
    writer.record("ep", "AllTraffic", config, exchange())
    uris = sorted(writer.flush())
    assert uris[0].startswith("s3://bucket/cap/ep/AllTraffic/2025/11/26/08/59-59-999-")
    assert uris[1].startswith("s3://bucket/cap/ep/AllTraffic/2025/11/26/09/00-00-001-")
    lines = [json.loads(b) for b in s3.objects.values()]
    assert sorted(e["eventMetadata"]["inferenceTime"] for e in lines) == [
        "2025-11-26T08:59:59.999Z",
        "2025-11-26T09:00:00.001Z",
    ]


def test_output_only_capture_has_no_input_block():
    s3 = RecordingS3()
    writer = CaptureWriter(s3)
    writer.record("ep", "v", CaptureConfig("s3://b", capture_input=False), exchange())
    writer.flush()
    event = json.loads(next(iter(s3.objects.values())))
    assert set(event["captureData"]) == {"endpointOutput"}
