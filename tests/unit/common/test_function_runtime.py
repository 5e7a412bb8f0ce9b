"""The handler skeleton: settings and clients built once, rebuilt on reset, clients one per service field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from lambdas.common.codepipeline_job import JobParametersError, Verdict, answer_job
from lambdas.common.function_runtime import METRICS_NAMESPACE, FunctionRuntime, boto3_clients


@dataclass(frozen=True)
class TwoClients:
    s3: Any
    sns: Any


def counting_runtime() -> tuple[FunctionRuntime[int, str], list[str]]:
    calls: list[str] = []

    def settings() -> int:
        calls.append("settings")
        return len(calls)

    def clients(value: int) -> str:
        calls.append("clients")
        return f"clients for {value}"

    return FunctionRuntime("unit", settings=settings, clients=clients), calls


def test_settings_and_clients_are_built_once_then_again_after_reset():
    runtime, calls = counting_runtime()

    first, again = runtime.get(), runtime.get()
    runtime.reset()
    rebuilt = runtime.get()

    assert first == again == (1, "clients for 1")
    assert rebuilt == (3, "clients for 3")
    assert calls == ["settings", "clients", "settings", "clients"]


def test_an_override_is_used_instead_of_building():
    runtime, calls = counting_runtime()

    runtime.override(42, "injected")

    assert runtime.get() == (42, "injected")
    assert calls == []


def test_metrics_go_to_the_orchestrator_namespace_under_the_service_name():
    runtime, _ = counting_runtime()

    assert runtime.metrics.namespace == METRICS_NAMESPACE == "MLOpsOrchestrator"
    assert runtime.metrics.service == "unit"


def test_boto3_clients_makes_one_client_per_field_named_after_its_service(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    given = object()

    clients = boto3_clients(TwoClients, sns=given)

    assert clients.s3.meta.service_model.service_name == "s3"
    assert clients.sns is given


class FakePipeline:
    def __init__(self) -> None:
        self.results: list[tuple[str, dict[str, Any]]] = []

    def put_job_success_result(self, **kwargs: Any) -> None:
        self.results.append(("success", kwargs))

    def put_job_failure_result(self, **kwargs: Any) -> None:
        self.results.append(("failure", kwargs))


class FakeLogger:
    def __init__(self) -> None:
        self.crashes: list[str] = []

    def exception(self, message: str) -> None:
        self.crashes.append(message)


def _raise(error: Exception) -> Verdict:
    raise error


@pytest.mark.parametrize(
    ("step", "expected_type", "expected_text"),
    [
        (lambda: _raise(JobParametersError("UserParameters lack stage")), "ConfigurationError", "lack stage"),
        (lambda: _raise(ZeroDivisionError("x")), "JobFailed", "the step crashed (ZeroDivisionError)"),
        (lambda: Verdict(False, "endpoint answered 500"), "JobFailed", "endpoint answered 500"),
    ],
)
def test_every_way_a_step_fails_still_answers_the_job_with_a_failure(step, expected_type, expected_text):
    pipeline, logger = FakePipeline(), FakeLogger()

    verdict = answer_job(pipeline, "job-1", step, logger, "the step")

    ((kind, result),) = pipeline.results
    assert (kind, result["jobId"], verdict.passed) == ("failure", "job-1", False)
    assert result["failureDetails"]["type"] == expected_type
    assert expected_text in result["failureDetails"]["message"]


def test_a_crash_is_logged_with_its_traceback_and_a_pass_is_reported_as_success():
    pipeline, logger = FakePipeline(), FakeLogger()

    answer_job(pipeline, "job-1", lambda: _raise(KeyError("k")), logger, "finalize")
    answer_job(pipeline, "job-2", lambda: Verdict(True, "ok"), logger, "finalize")

    assert logger.crashes == ["finalize crashed"]
    assert pipeline.results[1] == ("success", {"jobId": "job-2"})


def test_a_lazy_client_is_made_on_first_use_only(monkeypatch):
    import boto3

    made: list[str] = []
    real = boto3.client

    def counting(service: str, *args: Any, **kwargs: Any) -> Any:
        made.append(service)
        return real(service, *args, region_name="eu-west-1", **kwargs)

    monkeypatch.setattr(boto3, "client", counting)
    clients = boto3_clients(TwoClients)
    assert made == []

    assert clients.sns.meta.service_model.service_name == "sns"
    clients.sns.meta  # noqa: B018 (a second use makes nothing new)
    assert made == ["sns"]
