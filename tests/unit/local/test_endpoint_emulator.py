"""The endpoint emulator answers boto3 sagemaker-runtime calls with the model's real predictions."""

import io
import json
import tarfile

import boto3
import joblib
import numpy as np
import pytest
from botocore.exceptions import ClientError

from mlops_local.demo_model import demo_data
from mlops_local.endpoint_emulator import EndpointEmulator
from tests.unit.local.conftest import tar_gz


def runtime(url):
    return boto3.client("sagemaker-runtime", endpoint_url=url, region_name="us-east-1")


def direct_sklearn(artifact):
    """The demo estimator loaded straight from the archive, without the emulator's code."""
    with tarfile.open(artifact) as archive:
        return joblib.load(io.BytesIO(archive.extractfile("model.joblib").read()))


def csv_body(rows):
    return "\n".join(",".join(repr(float(v)) for v in row) for row in rows)


@pytest.fixture
def emulator(demo):
    with EndpointEmulator() as running:
        running.add_endpoint("demo", demo.artifact)
        yield running


def test_sklearn_predictions_equal_the_model_loaded_directly(emulator, demo):
    rows = demo_data().held_out_x[:20]
    expected = direct_sklearn(demo.artifact).predict_proba(rows)[:, 1]
    response = runtime(emulator.url).invoke_endpoint(
        EndpointName="demo", Body=csv_body(rows), ContentType="text/csv", Accept="application/json"
    )
    assert response["ContentType"] == "application/json"
    assert response["InvokedProductionVariant"] == "AllTraffic"
    np.testing.assert_allclose(json.loads(response["Body"].read()), expected, rtol=1e-12)


def test_csv_answer_has_one_line_per_row(emulator, demo):
    rows = demo_data().held_out_x[:3]
    expected = direct_sklearn(demo.artifact).predict_proba(rows)[:, 1]
    response = runtime(emulator.url).invoke_endpoint(
        EndpointName="demo", Body=csv_body(rows), ContentType="text/csv", Accept="text/csv"
    )
    lines = response["Body"].read().decode().splitlines()
    np.testing.assert_allclose([float(v) for v in lines], expected, rtol=1e-12)


@pytest.mark.parametrize(
    "shape",
    [
        lambda rows: {"instances": rows},
        lambda rows: rows,
        lambda rows: {"instances": [{"features": r} for r in rows]},
    ],
)
def test_json_inputs_give_the_same_predictions(emulator, demo, shape):
    rows = demo_data().held_out_x[:4]
    expected = direct_sklearn(demo.artifact).predict_proba(rows)[:, 1]
    response = runtime(emulator.url).invoke_endpoint(
        EndpointName="demo", Body=json.dumps(shape(rows.tolist())), ContentType="application/json"
    )
    assert response["ContentType"] == "application/json"  # no Accept: the request's own format
    np.testing.assert_allclose(json.loads(response["Body"].read()), expected, rtol=1e-12)


@pytest.mark.parametrize("file_name", ["xgboost-model", "model.json", "model.ubj"])
def test_xgboost_predictions_equal_the_booster(tmp_path, xgb_booster, file_name):
    import xgboost as xgb

    saved = tmp_path / ("saved.ubj" if file_name == "xgboost-model" else file_name)
    xgb_booster.save_model(str(saved))
    artifact = tar_gz(tmp_path / "model.tar.gz", {file_name: saved.read_bytes()})
    rows = demo_data().held_out_x[:15]
    expected = xgb_booster.predict(xgb.DMatrix(rows))
    with EndpointEmulator() as running:
        model = running.add_endpoint("xgb", artifact)
        body = (
            runtime(running.url)
            .invoke_endpoint(
                EndpointName="xgb", Body=csv_body(rows), ContentType="text/csv", Accept="application/json"
            )["Body"]
            .read()
        )
    assert model.kind == "xgboost"
    np.testing.assert_allclose(json.loads(body), expected, rtol=1e-6)


def test_unknown_endpoint_is_a_validation_error(emulator):
    with pytest.raises(ClientError) as raised:
        runtime(emulator.url).invoke_endpoint(EndpointName="missing", Body=b"1,2", ContentType="text/csv")
    error = raised.value.response
    assert error["Error"]["Code"] == "ValidationError"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Endpoint missing of account" in error["Error"]["Message"]


@pytest.mark.parametrize(
    ("body", "content_type", "original_status"),
    [
        (b"1,abc", "text/csv", 400),  # not a number
        (b"1,2", "text/csv", 500),  # the model expects 30 features
        (b"1,2", "application/x-npy", 415),
    ],
)
def test_model_failures_are_model_errors(emulator, body, content_type, original_status):
    with pytest.raises(ClientError) as raised:
        runtime(emulator.url).invoke_endpoint(EndpointName="demo", Body=body, ContentType=content_type)
    error = raised.value.response
    assert error["Error"]["Code"] == "ModelError"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert error["OriginalStatusCode"] == original_status


def test_unsupported_accept_is_refused_before_predicting(emulator):
    with pytest.raises(ClientError) as raised:
        runtime(emulator.url).invoke_endpoint(
            EndpointName="demo", Body=b"1", ContentType="text/csv", Accept="application/x-protobuf"
        )
    assert raised.value.response["OriginalStatusCode"] == 406


def test_removed_endpoint_stops_answering(emulator):
    emulator.remove_endpoint("demo")
    assert emulator.endpoint_names == []
    with pytest.raises(ClientError, match="ValidationError"):
        runtime(emulator.url).invoke_endpoint(EndpointName="demo", Body=b"1", ContentType="text/csv")


def test_capture_without_s3_client_is_refused(demo):
    from mlops_local.data_capture import CaptureConfig

    with pytest.raises(ValueError, match="S3 client"):
        EndpointEmulator().add_endpoint("x", demo.artifact, capture=CaptureConfig("s3://b/p"))


def test_a_container_default_accept_answers_requests_that_name_none(demo):
    # Given an endpoint whose container says answers default to JSON (and a request that is CSV)
    with EndpointEmulator() as running:
        environment = {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "application/json", "MODEL_NAME": "forest"}
        running.add_endpoint("demo", demo.artifact, environment=environment)
        rows = csv_body(demo_data().held_out_x[:2])
        client = runtime(running.url)
        # When a request names no Accept, then the container's default decides; a named Accept still wins
        unnamed = client.invoke_endpoint(EndpointName="demo", Body=rows, ContentType="text/csv")
        named = client.invoke_endpoint(
            EndpointName="demo", Body=rows, ContentType="text/csv", Accept="text/csv"
        )
        assert unnamed["ContentType"] == "application/json" and len(json.loads(unnamed["Body"].read())) == 2
        assert named["ContentType"] == "text/csv"
        assert running.container_environment("demo") == environment


def test_without_a_container_default_an_unnamed_accept_answers_in_the_request_format(emulator, demo):
    rows = csv_body(demo_data().held_out_x[:2])
    response = runtime(emulator.url).invoke_endpoint(EndpointName="demo", Body=rows, ContentType="text/csv")
    assert response["ContentType"] == "text/csv"
    assert emulator.container_environment("demo") == {}
