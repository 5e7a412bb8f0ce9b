"""CodePipeline calls moto does not serve, answered locally: StartPipelineExecution and job results.

botocore emits `before-call.<service>.<operation>` before sending a request; a handler that returns
`(http_response, parsed)` short-circuits the call, so the real handlers' plain clients get these
answers without a code change.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse


@dataclass
class Execution:
    """One pipeline execution: what started it, and every action it ran."""

    execution_id: str
    pipeline: str
    variables: dict[str, str]
    status: str = "InProgress"  # InProgress | Succeeded | Failed
    actions: list[ActionResult] = field(default_factory=list)


@dataclass(frozen=True)
class ActionResult:
    """One action of an execution."""

    stage: str
    action: str
    succeeded: bool
    message: str
    seconds: float


@dataclass(frozen=True)
class JobResult:
    """What a Lambda invoke action's function reported with PutJobSuccessResult / PutJobFailureResult."""

    job_id: str
    succeeded: bool
    message: str = ""
    continuation: str | None = None  # the function is not done: call it again with this token


def _answer(parsed: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    """A successful response that botocore returns as is."""
    return AWSResponse("http://local", 200, {}, None), {"ResponseMetadata": {"HTTPStatusCode": 200}, **parsed}


class PipelineCalls:
    """Records StartPipelineExecution and job results made through the default boto3 session."""

    def __init__(self) -> None:
        self.executions: list[Execution] = []
        self.job_results: dict[str, JobResult] = {}
        self._tokens: dict[str, str] = {}

    def install(self) -> None:
        """Register the hooks on the default session (the one plain `boto3.client(...)` uses)."""
        hooks = boto3._get_default_session().events
        hooks.register("before-call.codepipeline.StartPipelineExecution", self._start)
        hooks.register("before-call.codepipeline.PutJobSuccessResult", self._success)
        hooks.register("before-call.codepipeline.PutJobFailureResult", self._failure)

    def _start(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """Queue an execution with its variables; a repeated clientRequestToken starts nothing new."""
        body = json.loads(params["body"])
        token = body.get("clientRequestToken")
        if token in self._tokens:
            return _answer({"pipelineExecutionId": self._tokens[token]})
        variables = {item["name"]: item["value"] for item in body.get("variables", [])}
        execution = Execution(str(uuid.uuid4()), body["name"], variables)
        self.executions.append(execution)
        if token:
            self._tokens[token] = execution.execution_id
        return _answer({"pipelineExecutionId": execution.execution_id})

    def _success(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        body = json.loads(params["body"])
        token = body.get("continuationToken")
        self.job_results[body["jobId"]] = JobResult(body["jobId"], True, continuation=token)
        return _answer({})

    def _failure(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        body = json.loads(params["body"])
        message = str(body.get("failureDetails", {}).get("message", ""))
        self.job_results[body["jobId"]] = JobResult(body["jobId"], False, message)
        return _answer({})

    def pending(self) -> list[Execution]:
        """Executions not run yet, oldest first."""
        return [execution for execution in self.executions if execution.status == "InProgress"]
