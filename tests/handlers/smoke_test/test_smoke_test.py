"""Smoke-test handler: every outcome ends in one CodePipeline job result with an actionable message."""

from __future__ import annotations

import pytest
from botocore.exceptions import ReadTimeoutError

from lambdas.smoke_test import handler
from lambdas.smoke_test.service import Clients
from tests.handlers.smoke_test.conftest import ENDPOINT, SMOKE_TEST, manifest

# Captured before the fixture replaces it, to test the real client configuration (no retry on timeout).
REAL_BUILD_CLIENTS = handler.build_clients


def test_expected_shape_passes_the_job(pipeline):
    pipeline.upload_manifest(manifest(SMOKE_TEST))
    pipeline.endpoint_answers(b"[[0.2, 0.8]]")
    pipeline.expect_success()

    result = pipeline.invoke()

    assert result["passed"] is True


def test_missing_keys_fail_the_job_naming_them(pipeline):
    expected = {"kind": "json_object", "keys": ["score", "label"]}
    pipeline.upload_manifest(manifest({**SMOKE_TEST, "expected_response": expected}))
    pipeline.endpoint_answers(b'{"label": "churn"}')
    details = pipeline.expect_failure()

    result = pipeline.invoke()

    assert result["passed"] is False
    assert details.value["type"] == "JobFailed"
    assert "['score']" in details.value["message"]


def test_wrong_array_length_fails_the_job(pipeline):
    pipeline.upload_manifest(manifest(SMOKE_TEST))
    pipeline.endpoint_answers(b"[1, 2, 3]")
    failure = pipeline.failure()

    assert "3 items, expected 1" in failure["message"]


def test_non_json_answer_to_a_json_expectation_fails_the_job(pipeline):
    pipeline.upload_manifest(manifest(SMOKE_TEST))
    pipeline.endpoint_answers(b"<html>502 Bad Gateway</html>", content_type="text/html")
    failure = pipeline.failure()

    assert "not JSON" in failure["message"]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            {
                "service_error_code": "ModelError",
                "service_message": "Received server error (500) from primary",
                "http_status_code": 424,
                "modeled_fields": {"OriginalStatusCode": 500},
            },
            ("model returned an error (status 500)",),
            id="model-error-names-the-model-status",
        ),
        pytest.param(
            {
                "service_error_code": "ValidationError",
                "service_message": f"Endpoint {ENDPOINT} of account 123456789012 not found.",
                "http_status_code": 400,
            },
            ("ValidationError", "not found"),
            id="unknown-endpoint-names-the-validation-error",
        ),
    ],
)
def test_endpoint_error_fails_the_job_in_plain_words(pipeline, error, expected):
    pipeline.upload_manifest(manifest(SMOKE_TEST))
    pipeline.runtime_stub.add_client_error("invoke_endpoint", **error)
    failure = pipeline.failure()

    assert failure["type"] == "JobFailed"
    assert [word for word in expected if word not in failure["message"]] == []


def test_timeout_fails_the_job_after_a_single_attempt(pipeline, monkeypatch):
    pipeline.upload_manifest(manifest(SMOKE_TEST))
    runtime = _timing_out_runtime()
    monkeypatch.setattr(
        handler,
        "build_clients",
        lambda region, timeout: (Clients(pipeline.s3, runtime), pipeline.codepipeline),
    )
    failure = pipeline.failure()

    assert "no response in time (ReadTimeoutError)" in failure["message"]
    assert runtime.attempts == 1


def test_missing_manifest_is_a_configuration_error(pipeline):
    failure = pipeline.failure()

    assert failure["type"] == "ConfigurationError"
    assert "NoSuchKey" in failure["message"]


def test_invalid_manifest_is_a_configuration_error_naming_the_field(pipeline):
    pipeline.upload_manifest(manifest({**SMOKE_TEST, "content_type": "not a mime type"}))
    failure = pipeline.failure()

    assert failure["type"] == "ConfigurationError"
    assert "smoke_test.content_type" in failure["message"]


def test_manifest_without_smoke_test_passes_without_invoking(pipeline):
    pipeline.upload_manifest(manifest(None))
    pipeline.expect_success()

    assert pipeline.invoke()["passed"] is True
    pipeline.runtime_stub.assert_no_pending_responses()


def test_a_refused_job_result_is_raised_so_lambda_retries(pipeline):
    pipeline.upload_manifest(manifest(SMOKE_TEST))
    pipeline.endpoint_answers(b"[[0.2, 0.8]]")
    pipeline.pipeline_stub.add_client_error(
        "put_job_success_result", service_error_code="JobNotFoundException"
    )

    with pytest.raises(Exception, match="JobNotFoundException"):
        pipeline.invoke()


def test_an_event_that_is_no_pipeline_job_is_rejected(pipeline):
    with pytest.raises(KeyError):
        handler.lambda_handler({"detail": {}}, pipeline.context)


def _timing_out_runtime():
    """The handler's own SageMaker Runtime client, its HTTP send timing out (moto would answer otherwise)."""
    clients, _ = REAL_BUILD_CLIENTS("us-east-1", 1)
    REAL_BUILD_CLIENTS.cache_clear()
    runtime = clients.runtime
    runtime.attempts = 0

    def time_out(request, **_kwargs):
        runtime.attempts += 1
        raise ReadTimeoutError(endpoint_url=request.url)

    runtime.meta.events.register_first("before-send.sagemaker-runtime.InvokeEndpoint", time_out)
    return runtime
