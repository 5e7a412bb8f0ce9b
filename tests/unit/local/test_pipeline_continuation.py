"""Local pipeline runs call a Lambda invoke action again while it hands back a continuation token."""

from __future__ import annotations

import json
from types import SimpleNamespace

import boto3
import pytest

from mlops_local import pipeline_runner
from mlops_local.pipeline_calls import Execution, JobResult, PipelineCalls
from mlops_local.pipeline_runner import ActionFailedError, PipelineRunner, substitute


class ContinuingFunction:
    """Reports success with a token `continues` times, then success without one."""

    def __init__(self, calls: PipelineCalls, continues: int) -> None:
        self.calls, self.continues, self.events = calls, continues, []

    def invoke(self, spec, event):
        self.events.append(event)
        job_id = event["CodePipeline.job"]["id"]
        token = f"t{len(self.events)}" if len(self.events) <= self.continues else None
        self.calls.job_results[job_id] = JobResult(job_id, True, continuation=token)


def _runner(continues: int) -> tuple[PipelineRunner, ContinuingFunction]:
    calls = PipelineCalls()
    function = ContinuingFunction(calls, continues)
    assembly = SimpleNamespace(tooling={"Resources": {}})
    specs = {"Smoke": SimpleNamespace(name="smoke-test")}
    return PipelineRunner(None, assembly, None, specs, function, calls), function


def _invoke(runner: PipelineRunner) -> str:
    configuration = {"FunctionName": "smoke-test", "UserParameters": "{}"}
    return runner._invoke(configuration, Execution("exec-1", "pipeline", {}))


def test_a_continued_job_is_called_again_with_its_token_until_it_is_done():
    runner, function = _runner(continues=2)

    assert _invoke(runner) == "job succeeded"

    tokens = [event["CodePipeline.job"]["data"].get("continuationToken") for event in function.events]
    assert tokens == [None, "t1", "t2"]
    assert len({event["CodePipeline.job"]["id"] for event in function.events}) == 3


def test_a_job_that_never_finishes_fails_the_action(monkeypatch):
    monkeypatch.setattr(pipeline_runner, "MAX_CONTINUATIONS", 4)
    runner, function = _runner(continues=100)

    with pytest.raises(ActionFailedError, match="still continuing after 4 calls"):
        _invoke(runner)
    assert len(function.events) == 4


def test_the_continuation_token_of_a_job_result_is_recorded():
    calls = PipelineCalls()
    calls.install()
    try:
        client = boto3.client("codepipeline", region_name="us-east-1")
        client.put_job_success_result(jobId="job-1", continuationToken=json.dumps({"n": 1}))
        client.put_job_success_result(jobId="job-2")
    finally:
        calls.uninstall()

    assert calls.job_results["job-1"].continuation == '{"n": 1}'
    assert calls.job_results["job-2"] == JobResult("job-2", True)


class ResolvingFunction:
    """Reports success with output variables, as the resolve function does."""

    def __init__(self, calls: PipelineCalls) -> None:
        self.calls = calls

    def invoke(self, spec, event):
        job_id = event["CodePipeline.job"]["id"]
        outputs = {"ImageUri": "image:1", "ModelDataUrl": "s3://b/k"}
        self.calls.job_results[job_id] = JobResult(job_id, True, outputs=outputs)


def test_output_variables_fill_the_action_namespace_for_later_actions():
    calls = PipelineCalls()
    specs = {"Resolve": SimpleNamespace(name="resolve")}
    assembly = SimpleNamespace(tooling={"Resources": {}})
    runner = PipelineRunner(None, assembly, None, specs, ResolvingFunction(calls), calls)
    execution = Execution("exec-1", "pipeline", {})

    runner._invoke({"FunctionName": "resolve", "UserParameters": "{}"}, execution, "ResolveStaging")

    assert substitute('{"I": "#{ResolveStaging.ImageUri}"}', execution) == '{"I": "image:1"}'
    with pytest.raises(ActionFailedError, match=r"ResolveProduction\.ImageUri"):
        substitute("#{ResolveProduction.ImageUri}", execution)


def test_output_variables_of_a_job_result_are_recorded():
    calls = PipelineCalls()
    calls.install()
    try:
        client = boto3.client("codepipeline", region_name="us-east-1")
        client.put_job_success_result(jobId="job-1", outputVariables={"ImageUri": "image:1"})
    finally:
        calls.uninstall()

    assert calls.job_results["job-1"].outputs == {"ImageUri": "image:1"}
