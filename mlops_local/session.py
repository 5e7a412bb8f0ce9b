"""Local mode in one object: embedded AWS, the tooling stack's resources, event routing, pipelines."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from lambdas.common.environment import ENV_EVENT_BUS_NAME, ENV_REPORTS_BUCKET, ENV_TOPIC_ARN
from mlops_local.api_gateway import api_stage
from mlops_local.api_server import ApiServer
from mlops_local.assembly import TOOLING_TEMPLATE, Assembly
from mlops_local.event_router import Delivery, EventRouter
from mlops_local.handler_runtime import FunctionSpec, functions
from mlops_local.moto_gaps import ModelPackageTags, install_package_metadata
from mlops_local.moto_server import ACCOUNT, LocalAws
from mlops_local.pipeline_calls import Execution, PipelineCalls
from mlops_local.pipeline_runner import Approver, PipelineRunner, Progress
from mlops_local.running import Running
from mlops_local.stack_resources import Clients, create_resources, outputs
from mlops_local.stage_accounts import create_stage_accounts
from mlops_local.training_runner import TrainingRunner, create_state_machines

DRIFT_HANDLER = "lambdas.drift_check.handler.lambda_handler"
QUALITY_HANDLER = "lambdas.model_quality.handler.lambda_handler"
API_HANDLER = "lambdas.provisioning_api.handler.lambda_handler"
# The blueprint parameter naming the function each check's schedule invokes.
_CHECK_PARAMETERS = {DRIFT_HANDLER: "DriftCheckFunctionArn", QUALITY_HANDLER: "QualityCheckFunctionArn"}
_MAX_ROUNDS = 20  # events → pipelines → events...; a loop beyond this is a bug, not a workload


def _approve_all(question: str) -> bool:
    return True


def _quiet(result: Any) -> None:
    return None


class LocalOrchestrator(Running):
    """Starts everything on enter and stops it on exit; the demo and the end-to-end tests drive it."""

    def __init__(self, assembly: Assembly) -> None:
        self.assembly = assembly
        self.aws = LocalAws(assembly.tooling_account or ACCOUNT)
        self.calls = PipelineCalls()
        self.package_tags = ModelPackageTags()
        self.deliveries: list[Delivery] = []
        # Handlers run one at a time (they set the process environment): the API's requests arrive on
        # server threads while serve's loop or a test settles.
        self.lock = threading.RLock()
        self._api: ApiServer | None = None

    def start(self) -> LocalOrchestrator:
        """Start the local AWS and create the tooling stack's resources from its template."""
        self.aws.start()
        try:
            template = self.assembly.tooling
            stack = TOOLING_TEMPLATE.removesuffix(".template.json")
            self.resources = create_resources(self.aws, template, stack, self.aws.tooling_account)
            machines = create_state_machines(self.aws, template, self.resources)  # before rules target them
            self.outputs = outputs(template, self.resources)
            self.functions = functions(template, self.resources)
            self.router = EventRouter(self.aws, template, self.resources, self.functions)
            self.stages = create_stage_accounts(self.aws, self.assembly, self.router)
            for hook in (self.calls.install, self.package_tags.install, install_package_metadata):
                self.aws.sessions.add_hook(hook)  # stage accounts' functions report to the pipelines too
            self.runner = PipelineRunner(
                self.aws, self.assembly, self.resources, self._every_function(), self.router, self.calls
            )
            self.training = TrainingRunner(self.aws, machines, self.functions, self.router)
            self._notifications = self._subscribe()
        except BaseException:
            self.aws.stop()
            raise
        return self

    def _every_function(self) -> dict[str, FunctionSpec]:
        """The tooling stack's functions and every stage account's (keyed by stack: logical IDs repeat)."""
        stage = {f"{s.stack}/{key}": spec for s in self.stages for key, spec in s.functions.items()}
        return {**self.functions, **stage}

    def _subscribe(self) -> str:
        """An SQS queue subscribed to the notification topic: what would have been e-mailed."""
        sqs = self.aws.client("sqs")
        url = sqs.create_queue(QueueName="notifications")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.aws.client("sns").subscribe(
            TopicArn=self.outputs["NotificationTopicArn"], Protocol="sqs", Endpoint=arn
        )
        return str(url)

    @property
    def registry_bucket(self) -> str:
        """The registry bucket's name."""
        return self.outputs["RegistryBucketName"]

    @property
    def api_url(self) -> str:
        """The provisioning API's base URL (http://127.0.0.1:<port>/v1/), served from first use to stop()."""
        with self.lock:
            if self._api is None:
                self._api = ApiServer(self._invoke_api, api_stage(self.assembly.tooling)).start()
            return self._api.url

    def _invoke_api(self, event: dict[str, Any]) -> dict[str, Any]:
        """The provisioning API function, as the template defines it, called with one proxy event."""
        (spec,) = [spec for spec in self.functions.values() if spec.handler == API_HANDLER]
        with self.lock:
            result: dict[str, Any] = self.router.invoke(spec, event)
            return result

    def settle(self, approve: Approver = _approve_all, progress: Progress = _quiet) -> list[Execution]:
        """Deliver events and run the pipelines they start until nothing is left to do."""
        executions: list[Execution] = []
        with self.lock:
            for _ in range(_MAX_ROUNDS):
                delivered = self.router.drain()
                self.deliveries.extend(delivered)
                ran = self.runner.run_pending(approve, progress)
                executions.extend(ran)
                trained = self.training.run_pending()
                if not delivered and not ran and not trained:
                    return executions
        raise RuntimeError(f"events and pipelines still busy after {_MAX_ROUNDS} rounds")

    def drift_function(self) -> FunctionSpec:
        """The template's drift-check function, or one with the tooling stack's settings until it lands."""
        found = [spec for spec in self.functions.values() if spec.handler == DRIFT_HANDLER]
        if found:
            return found[0]
        environment = {
            ENV_REPORTS_BUCKET: self.outputs["ReportsBucketName"],
            ENV_TOPIC_ARN: self.outputs["NotificationTopicArn"],
            ENV_EVENT_BUS_NAME: self.outputs["EventBusName"],
        }
        return FunctionSpec("DriftCheck", "drift-check", DRIFT_HANDLER, environment)

    def check_function(self, endpoint: str | None, handler: str) -> FunctionSpec:
        """The function an endpoint's schedule invokes for a check (in the endpoint's account), else the
        tooling stack's."""
        deployed = self.runner.endpoints.get(endpoint or "")
        arn = deployed.parameters.get(_CHECK_PARAMETERS[handler], "") if deployed else ""
        every = self._every_function().values()
        named = [s for s in every if arn and s.handler == handler and arn.endswith(f":function:{s.name}")]
        if named:
            return named[0]
        if handler == DRIFT_HANDLER:
            return self.drift_function()
        (spec,) = [spec for spec in self.functions.values() if spec.handler == handler]
        return spec

    def clients_for(self, spec: FunctionSpec) -> Clients:
        """Clients in a function's account (as its role, for a stage account's function)."""
        return self.aws if spec.role is None else self.aws.sessions.assume(spec.role)

    def drift_check(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run the real drift check once with a schedule input."""
        return self._check(request, DRIFT_HANDLER)

    def quality_check(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run the real model-quality check once with its schedule's input."""
        return self._check(request, QUALITY_HANDLER)

    def _check(self, request: dict[str, Any], handler: str) -> dict[str, Any]:
        """Flush the captures, run one check as its schedule would, deliver what it announced."""
        if self.aws.emulator is not None:
            self.aws.emulator.flush()  # capture records still buffered in the emulator
        spec = self.check_function(request.get("endpoint_name"), handler)
        result: dict[str, Any] = self.router.invoke(spec, request)
        self.settle()
        return result

    def notifications(self) -> list[tuple[str, str]]:
        """(subject, message) of every notification published since the last call."""
        sqs, found = self.aws.client("sqs"), []
        while messages := sqs.receive_message(QueueUrl=self._notifications, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            for message in messages:
                envelope = json.loads(message["Body"])
                found.append((str(envelope.get("Subject") or ""), str(envelope.get("Message", ""))))
                sqs.delete_message(QueueUrl=self._notifications, ReceiptHandle=message["ReceiptHandle"])
        return found

    def download(self, bucket: str, key: str, destination: Path, clients: Clients | None = None) -> Path:
        """Copy an object from the local S3 to a file (as `clients`, e.g. a stage account's, when given)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        (clients or self.aws).client("s3").download_file(bucket, key, str(destination))
        return destination

    def stop(self) -> None:
        """Stop the API, the emulator and the server."""
        try:
            if self._api is not None:
                self._api.stop()
                self._api = None
        finally:
            self.aws.stop()
