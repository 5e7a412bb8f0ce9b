"""Executes a synthesized `AWS::CodePipeline::Pipeline` stage by stage, action by action, in RunOrder.

Source: the blueprint asset folder of the cloud assembly. CloudFormation: create or update the stack
in moto with the action's parameter overrides, then serve the deployed endpoint from the emulator.
Lambda: the real handler in-process with a CodePipeline job event. Manual approval: a callback, which
may answer None to wait for PutApprovalResult (the provisioning API, the registry-approval function).
A failed action stops the execution, as CodePipeline does.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from mlops_local.accounts import account_of
from mlops_local.assembly import Assembly
from mlops_local.blueprint import DeployedEndpoint
from mlops_local.endpoint_deploy import deploy_stack
from mlops_local.event_router import EventRouter
from mlops_local.handler_runtime import FunctionSpec
from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import ACCOUNT, LocalAws
from mlops_local.pipeline_calls import ActionResult, Execution, PipelineCalls, Waiting
from mlops_local.pipeline_reads import LOCAL_DECIDER, state_change_event

# True approves, False rejects, None leaves the approval waiting for PutApprovalResult.
Approver = Callable[[str], bool | None]
Progress = Callable[[ActionResult], None]
# Calls of one Lambda invoke action that continues (CodePipeline itself stops a job after about an hour).
MAX_CONTINUATIONS = 60
_REFERENCE = re.compile(r"#\{([\w@-]+)\.(\w+)\}")


class ActionFailedError(Exception):
    """An action did not succeed; the message says why."""


class ApprovalWaitingError(Exception):
    """The execution waits at a manual approval until PutApprovalResult answers it."""


def await_decision(question: str) -> None:
    """An approver that answers nothing: approvals wait for PutApprovalResult (e.g. the API's approve)."""
    return None


def substitute(text: str, execution: Execution) -> str:
    """Replace `#{variables.X}`, `#{codepipeline.PipelineExecutionId}` and `#{<namespace>.X}` references."""

    def value(match: re.Match[str]) -> str:
        namespace, name = match.groups()
        if namespace == "codepipeline":
            return execution.execution_id if name == "PipelineExecutionId" else execution.pipeline
        if namespace == "variables":
            return execution.variables[name]
        if name not in execution.namespaces.get(namespace, {}):
            raise ActionFailedError(f"#{{{namespace}.{name}}} is not set by any earlier action")
        return execution.namespaces[namespace][name]

    return _REFERENCE.sub(value, text)


class PipelineRunner:
    """Runs the executions that StartPipelineExecution queued, by the template's pipeline definitions."""

    def __init__(
        self,
        aws: LocalAws,
        assembly: Assembly,
        resources: ResourceMap,
        specs: dict[str, FunctionSpec],
        router: EventRouter,
        calls: PipelineCalls,
    ) -> None:
        self._aws, self._assembly, self._resources = aws, assembly, resources
        self._specs, self._router, self._calls = specs, router, calls
        # The account CodePipeline names in job events (tests may run actions without a local AWS).
        self._account = aws.tooling_account if aws is not None else ACCOUNT
        self.endpoints: dict[str, DeployedEndpoint] = {}
        self.pipelines: dict[str, dict[str, Any]] = {
            resources.ref(logical_id): resource["Properties"]
            for logical_id, resource in assembly.tooling["Resources"].items()
            if resource["Type"] == "AWS::CodePipeline::Pipeline"
        }

    def run_pending(self, approve: Approver, progress: Progress) -> list[Execution]:
        """Run every queued execution to its end."""
        done = []
        for execution in self._calls.pending():
            self.run(execution, approve, progress)
            done.append(execution)
        return done

    def run(self, execution: Execution, approve: Approver, progress: Progress) -> None:
        """Run one execution from where it stopped (a waiting approval answered since); the variables it
        was started with override the declared defaults."""
        definition = self._pipelines_definition(execution.pipeline)
        declared = {v["Name"]: v.get("DefaultValue", "") for v in definition.get("Variables", [])}
        execution.variables = {**declared, **execution.variables}
        steps = [
            (stage["Name"], action)
            for stage in definition["Stages"]
            for action in sorted(stage["Actions"], key=lambda a: a.get("RunOrder", 1))
        ]
        for stage, action in steps[len(execution.actions) :]:
            try:
                result = self._timed(stage, action, execution, approve)
            except ApprovalWaitingError:
                return
            execution.actions.append(result)
            progress(result)
            if not result.succeeded:
                execution.status = "Failed"
                self._announce(execution)
                return
        execution.status = "Succeeded"
        self._announce(execution)

    def _announce(self, execution: Execution) -> None:
        """Put the execution's state-change event on the default bus, as CodePipeline does."""
        self._aws.client("events").put_events(Entries=[state_change_event(execution)])

    def _pipelines_definition(self, name: str) -> dict[str, Any]:
        if name not in self.pipelines:
            raise ActionFailedError(f"no pipeline named {name} in the template")
        return self.pipelines[name]

    def _timed(
        self, stage: str, action: dict[str, Any], execution: Execution, approve: Approver
    ) -> ActionResult:
        """Run one action, turning any failure into a failed result."""
        started = time.monotonic()
        decided = execution.waiting is not None and execution.waiting.decision is not None
        try:
            message = self._act(stage, action, execution, approve)
            succeeded = True
        except ActionFailedError as error:
            message, succeeded = str(error), False
        by = LOCAL_DECIDER if decided else None
        return ActionResult(stage, action["Name"], succeeded, message, time.monotonic() - started, by)

    def _act(self, stage: str, action: dict[str, Any], execution: Execution, approve: Approver) -> str:
        """Dispatch on the action's category and provider."""
        kind = action["ActionTypeId"]
        configuration = self._resources.resolve(action.get("Configuration", {}))
        if kind["Category"] == "Source":
            folder = self._assembly.asset_dir(configuration["S3ObjectKey"])
            for output in action.get("OutputArtifacts", []):
                execution.artifacts[output["Name"]] = folder
            return f"blueprints from {folder.name}"
        if kind["Category"] == "Approval":
            question = substitute(configuration.get("CustomData", "Approve?"), execution)
            return _approval(stage, action["Name"], question, execution, approve)
        if kind["Provider"] == "CloudFormation":
            return self._deploy(configuration, execution, self._remote_role(action))
        if kind["Provider"] == "Lambda":
            return self._invoke(configuration, execution, action.get("Namespace"))
        raise ActionFailedError(f"local mode does not run {kind['Category']}/{kind['Provider']} actions")

    def _remote_role(self, action: dict[str, Any]) -> str | None:
        """The action's role when it is in another account (a stage's deploy role), where the action runs."""
        role = self._resources.resolve(action.get("RoleArn"))
        return role if isinstance(role, str) and account_of(role) != self._account else None

    def _deploy(self, configuration: dict[str, Any], execution: Execution, role: str | None = None) -> str:
        """CREATE_UPDATE the stack from the artifact's template with the substituted overrides, in the account
        of the action's role."""
        artifact, _, file_name = configuration["TemplatePath"].partition("::")
        template = (execution.artifacts[artifact] / file_name).read_text()
        overrides = substitute(configuration.get("ParameterOverrides", "{}"), execution)
        try:
            parameters = json.loads(overrides)
        except json.JSONDecodeError as error:  # CodePipeline substitutes as plain text, as here
            raise ActionFailedError(
                f"ParameterOverrides is not JSON once variables are substituted: {error}"
            ) from error
        stack = substitute(configuration["StackName"], execution)
        try:
            deployed = deploy_stack(self._aws, stack, template, parameters, role=role)
        except RuntimeError as error:
            raise ActionFailedError(str(error)) from error
        self.endpoints[deployed.endpoint_name] = deployed
        where = f" (account {account_of(role)})" if role else ""
        return f"stack {stack}{where}: endpoint {deployed.endpoint_name} in service"

    def _invoke(
        self, configuration: dict[str, Any], execution: Execution, namespace: str | None = None
    ) -> str:
        """Invoke the function with a CodePipeline job event; its reported job result decides (and its
        output variables fill the action's namespace)."""
        name = configuration["FunctionName"]
        spec = next((s for s in self._specs.values() if s.name == name), None)
        if spec is None:
            raise ActionFailedError(f"no function {name} in the template")
        parameters = substitute(configuration.get("UserParameters", ""), execution)
        continuation: str | None = None
        for _ in range(MAX_CONTINUATIONS):
            # Like CodePipeline: a job that continues is called again, as a new job, with its token.
            job_id = str(uuid.uuid4())
            self._calls.jobs[job_id] = execution.pipeline
            job = _job_event(job_id, name, parameters, continuation, self._account)
            self._router.invoke(spec, job)
            result = self._calls.job_results.get(job_id)
            if result is None:
                raise ActionFailedError(f"{name} reported no job result")
            if not result.succeeded:
                raise ActionFailedError(result.message)
            if result.continuation is None:
                if namespace:
                    execution.namespaces[namespace] = dict(result.outputs)
                return "job succeeded"
            continuation = result.continuation
        raise ActionFailedError(f"{name} was still continuing after {MAX_CONTINUATIONS} calls")


def _approval(stage: str, name: str, question: str, execution: Execution, approve: Approver) -> str:
    """Answer a manual approval: by PutApprovalResult when it waited for one, else by the approver."""
    waiting = execution.waiting
    if waiting is not None and waiting.decision is not None:
        execution.waiting = None
        if waiting.decision.status != "Approved":
            raise ActionFailedError(f"rejected: {waiting.decision.summary}")
        return f"approved: {waiting.decision.summary}"
    answer = approve(question)
    if answer is None:
        execution.waiting = Waiting(stage, name)
        raise ApprovalWaitingError(question)
    if not answer:
        raise ActionFailedError(f"rejected: {question}")
    return f"approved: {question}"


def _job_event(
    job_id: str,
    function_name: str,
    user_parameters: str,
    continuation: str | None = None,
    account: str = ACCOUNT,
) -> dict[str, Any]:
    """The event CodePipeline sends a Lambda invoke action (with the token of a continued job)."""
    configuration = {"FunctionName": function_name, "UserParameters": user_parameters}
    event: dict[str, Any] = {
        "CodePipeline.job": {
            "id": job_id,
            "accountId": account,  # the pipeline's
            "data": {
                "actionConfiguration": {"configuration": configuration},
                "inputArtifacts": [],
                "outputArtifacts": [],
            },
        }
    }
    if continuation is not None:
        event["CodePipeline.job"]["data"]["continuationToken"] = continuation
    return event
