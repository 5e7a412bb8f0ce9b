"""Runs the synthesized training pipelines (Step Functions state machines) that triggers started.

The state machines are created in the local Step Functions (moto) from their resolved definitions, so
the synthesized EventBridge rules start executions there exactly as in AWS. `run_pending` then runs each
new execution by its definition: the Lambda steps with the real training-run handler, SNS for the
notices, and the SageMaker job steps with the local stand-ins (mlops_local.training_jobs, automl_jobs).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from mlops_local.automl_jobs import LocalAutoML
from mlops_local.event_router import EventRouter
from mlops_local.handler_runtime import FunctionSpec
from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import ACCOUNT, REGION, LocalAws
from mlops_local.state_machine import Integration, MachineRun, StateMachine, lambda_error
from mlops_local.training_jobs import LocalJobs
from mlops_training.spec import TrainingSpec
from mlops_training.validate import validate_training_spec

_SAGEMAKER = "arn:aws:states:::sagemaker:"
_SDK = "arn:aws:states:::aws-sdk:sagemaker:"


@dataclass(frozen=True)
class Machine:
    """One training pipeline: its ARN in the local Step Functions, definition and spec."""

    arn: str
    definition: dict[str, Any]
    spec: TrainingSpec


def create_state_machines(aws: LocalAws, template: dict[str, Any], resources: ResourceMap) -> list[Machine]:
    """Create every state machine of the template in moto; Ref and Arn then resolve to its ARN."""
    machines = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::StepFunctions::StateMachine":
            continue
        props = resource["Properties"]
        definition = json.loads(resources.resolve(props["DefinitionString"]))
        name = resources.name_for(logical_id, 80)
        arn = aws.client("stepfunctions").create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=resources.resolve(props["RoleArn"])
        )["stateMachineArn"]
        resources.add(logical_id, arn, Arn=arn, Name=name)
        spec = _spec_of(definition)
        if spec is not None:  # other state machines (batch transform) exist but are not run here
            machines.append(Machine(arn, definition, spec))
    return machines


def _spec_of(definition: dict[str, Any]) -> TrainingSpec | None:
    """The spec a training pipeline carries to its Lambda steps (its Prepare state's `spec`), else None."""
    parameters = definition["States"][definition["StartAt"]].get("Parameters", {})
    if parameters.get("action") != "prepare":
        return None
    spec = validate_training_spec(str(parameters["spec"]).encode())
    if isinstance(spec, list):  # synthesis validated it; a failure here is a bug worth stopping on
        raise RuntimeError(f"the state machine carries an invalid spec: {spec}")
    return spec


class TrainingRunner:
    """Runs the executions the local Step Functions holds and has not run yet; keeps every run."""

    def __init__(
        self, aws: LocalAws, machines: list[Machine], functions: dict[str, FunctionSpec], router: EventRouter
    ) -> None:
        self._aws, self._machines, self._router = aws, machines, router
        self._functions = {
            f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{s.name}": s for s in functions.values()
        }
        self.runs: list[MachineRun] = []
        self._done: set[str] = set()
        self._last_start = 0.0

    def machine_for(self, model_name: str) -> Machine:
        """The pipeline of a model's training spec."""
        found = [m for m in self._machines if m.spec.model_name == model_name]
        if not found:
            raise KeyError(f"no training pipeline for model {model_name!r} in the template")
        return found[0]

    def start(self, model_name: str, trigger: str = "manual") -> str:
        """Start an execution as `aws stepfunctions start-execution` would; return its ARN."""
        machine = self.machine_for(model_name)
        started = self._aws.client("stepfunctions").start_execution(
            stateMachineArn=machine.arn, input=json.dumps({"trigger": trigger})
        )
        return str(started["executionArn"])

    def run_pending(self) -> list[MachineRun]:
        """Run every execution started since the last call, oldest first."""
        ran = []
        sfn = self._aws.client("stepfunctions")
        for machine in self._machines:
            listed = sfn.list_executions(stateMachineArn=machine.arn)["executions"]
            for item in sorted(listed, key=lambda e: e["startDate"]):
                if item["executionArn"] in self._done:
                    continue
                self._done.add(item["executionArn"])
                described = sfn.describe_execution(executionArn=item["executionArn"])
                ran.append(self._run(machine, item["executionArn"], json.loads(described["input"])))
        return ran

    def _run(self, machine: Machine, execution_arn: str, machine_input: dict[str, Any]) -> MachineRun:
        """Run one execution (a second apart from the last: run names are timestamps to the second)."""
        wait = 1.0 - (time.time() - self._last_start)
        if wait > 0:
            time.sleep(wait)
        self._last_start = time.time()
        run = StateMachine(machine.definition, self._integrations(machine)).run(execution_arn, machine_input)
        self.runs.append(run)
        return run

    def _integrations(self, machine: Machine) -> dict[str, Integration]:
        """Resource prefix → what answers it."""
        jobs, automl = LocalJobs(self._aws, machine.spec), LocalAutoML(self._aws.client("s3"))
        sagemaker, sns = self._aws.client("sagemaker"), self._aws.client("sns")
        found: dict[str, Integration] = {
            f"{_SDK}createAutoMLJobV2": automl.create,
            f"{_SDK}describeAutoMLJobV2": automl.describe,
            f"{_SDK}stopAutoMLJob": automl.stop,
            f"{_SAGEMAKER}createTrainingJob.sync": jobs.training_job,
            f"{_SAGEMAKER}createHyperParameterTuningJob.sync": jobs.tuning_job,
            f"{_SAGEMAKER}createTransformJob.sync": jobs.transform_job,
            f"{_SDK}createModel": lambda p: sagemaker.create_model(**p),
            f"{_SDK}deleteModel": lambda p: sagemaker.delete_model(**p),
            "arn:aws:states:::sns:publish": lambda p: _publish(sns, p),
        }
        for arn, spec in self._functions.items():
            found[arn] = self._invoker(spec)
        return found

    def _invoker(self, spec: FunctionSpec) -> Integration:
        """The real handler, its exception turned into the task's error as Lambda reports it."""

        def invoke(params: dict[str, Any]) -> Any:
            try:
                return self._router.invoke(spec, params)
            except Exception as error:  # any handler failure fails the task, as in AWS
                raise lambda_error(error) from error

        return invoke


def _publish(sns: Any, params: dict[str, Any]) -> dict[str, Any]:
    """sns:publish: a JSON object message is sent as its JSON text, as Step Functions does."""
    message = params["Message"]
    text = message if isinstance(message, str) else json.dumps(message)
    subject = {"Subject": params["Subject"]} if "Subject" in params else {}
    answer: dict[str, Any] = sns.publish(TopicArn=params["TopicArn"], Message=text, **subject)
    return answer
