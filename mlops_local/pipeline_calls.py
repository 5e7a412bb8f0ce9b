"""CodePipeline calls moto does not serve, answered locally: executions, job results, execution reads.

botocore emits `before-call.<service>.<operation>` before sending a request; a handler that returns
`(http_response, parsed)` short-circuits the call, so the real handlers' plain clients get these
answers without a code change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse


@dataclass(frozen=True)
class ApprovalDecision:
    """What PutApprovalResult answered: "Approved" or "Rejected", with its summary."""

    status: str
    summary: str


@dataclass
class Waiting:
    """A manual approval waiting for PutApprovalResult (GetPipelineState shows it with its token)."""

    stage: str
    action: str
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    decision: ApprovalDecision | None = None


@dataclass
class Execution:
    """One pipeline execution: what started it, and every action it ran."""

    execution_id: str
    pipeline: str
    variables: dict[str, str]
    status: str = "InProgress"  # InProgress | Succeeded | Failed
    namespaces: dict[str, dict[str, str]] = field(default_factory=dict)  # action outputs by namespace
    actions: list[ActionResult] = field(default_factory=list)
    artifacts: dict[str, Path] = field(default_factory=dict)  # output artifacts, kept while paused
    waiting: Waiting | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class ActionResult:
    """One action of an execution."""

    stage: str
    action: str
    succeeded: bool
    message: str
    seconds: float
    by: str | None = None  # who answered an approval through PutApprovalResult (CodePipeline's updatedBy)


@dataclass(frozen=True)
class JobResult:
    """What a Lambda invoke action's function reported with PutJobSuccessResult / PutJobFailureResult."""

    job_id: str
    succeeded: bool
    message: str = ""
    continuation: str | None = None  # the function is not done: call it again with this token
    outputs: dict[str, str] = field(default_factory=dict)  # outputVariables of a finished job


def _answer(parsed: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    """A successful response that botocore returns as is."""
    return AWSResponse("http://local", 200, {}, None), {"ResponseMetadata": {"HTTPStatusCode": 200}, **parsed}


def _error(code: str) -> tuple[AWSResponse, dict[str, Any]]:
    """A client error botocore raises as ClientError with this code."""
    document = {"Error": {"Code": code, "Message": "not found in local mode"}}
    return AWSResponse("http://local", 400, {}, None), {"ResponseMetadata": {}, **document}


class PipelineCalls:
    """Records StartPipelineExecution and job results made through the default boto3 session."""

    def __init__(self) -> None:
        self.executions: list[Execution] = []
        self.job_results: dict[str, JobResult] = {}
        self.jobs: dict[str, str] = {}  # job id -> pipeline name, for GetJobDetails
        self._tokens: dict[str, str] = {}

    def _hooks(self) -> dict[str, Callable[..., tuple[AWSResponse, dict[str, Any]]]]:
        return {
            "StartPipelineExecution": self._start,
            "PutJobSuccessResult": self._success,
            "PutJobFailureResult": self._failure,
            "GetPipelineExecution": self._read,
            "ListActionExecutions": self._read,
            "ListPipelineExecutions": self._read,
            "GetJobDetails": self._job_details,
            "GetPipelineState": self._state,
            "PutApprovalResult": self._approval,
        }

    def install(self, events: Any = None) -> None:
        """Register the hooks on a session's events (default: the default session, the one plain
        `boto3.client(...)` uses)."""
        hooks = events if events is not None else boto3._get_default_session().events
        for operation, handler in self._hooks().items():
            hooks.register(f"before-call.codepipeline.{operation}", handler)

    def uninstall(self) -> None:
        """Remove the hooks again (clients created afterwards call CodePipeline as usual)."""
        hooks = boto3._get_default_session().events
        for operation, handler in self._hooks().items():
            hooks.unregister(f"before-call.codepipeline.{operation}", handler)

    def _job_details(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """GetJobDetails of a job the local runner started."""
        from mlops_local.pipeline_reads import get_job_details

        try:
            return _answer(get_job_details(self.jobs, json.loads(params["body"])))
        except LookupError as error:
            return _error(str(error.args[0]))

    def _read(self, params: dict[str, Any], model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """GetPipelineExecution / ListActionExecutions from the executions run here."""
        from mlops_local.pipeline_reads import READS  # it builds on Execution: imported late, no cycle

        try:
            return _answer(READS[model.name](self.executions, json.loads(params["body"])))
        except LookupError as error:
            return _error(str(error.args[0]))

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
        outputs = dict(body.get("outputVariables") or {})
        self.job_results[body["jobId"]] = JobResult(body["jobId"], True, continuation=token, outputs=outputs)
        return _answer({})

    def _failure(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        body = json.loads(params["body"])
        message = str(body.get("failureDetails", {}).get("message", ""))
        self.job_results[body["jobId"]] = JobResult(body["jobId"], False, message)
        return _answer({})

    def _state(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """GetPipelineState: each stage where an execution waits at an approval (the latest one)."""
        name = json.loads(params["body"])["name"]
        stages: dict[str, dict[str, Any]] = {}
        for execution in self.executions:
            waiting = execution.waiting
            if execution.pipeline == name and waiting is not None and waiting.decision is None:
                latest = {"status": "InProgress", "token": waiting.token}
                running = {"pipelineExecutionId": execution.execution_id, "status": "InProgress"}
                stages[waiting.stage] = {
                    "stageName": waiting.stage,
                    "latestExecution": running,
                    "actionStates": [{"actionName": waiting.action, "latestExecution": latest}],
                }
        return _answer({"pipelineName": name, "stageStates": list(stages.values())})

    def _approval(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """PutApprovalResult: record the decision; the next run of the execution goes on from there."""
        body = json.loads(params["body"])
        for execution in self.executions:
            waiting = execution.waiting
            if waiting is not None and waiting.decision is None and waiting.token == body["token"]:
                result = body["result"]
                waiting.decision = ApprovalDecision(result["status"], result.get("summary", ""))
                return _answer({"approvedAt": datetime.now(UTC)})
        return _error("InvalidApprovalTokenException")

    def pending(self) -> list[Execution]:
        """Executions to run, oldest first: not run yet, or with their waiting approval answered."""
        return [
            execution
            for execution in self.executions
            if execution.status == "InProgress"
            and (execution.waiting is None or execution.waiting.decision is not None)
        ]
