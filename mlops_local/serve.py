"""`mlops local serve`: the local orchestrator kept running for the mlops CLI, the AWS CLI and your own code.

Uploads made from other processes (e.g. `mlops push --endpoint-url ...`) reach the real register
function through moto's S3 → EventBridge notifications; pipelines run as they are started; deployed
endpoints answer on the emulator; drift and model-quality checks run on every endpoint at a fixed interval
(labels uploaded under the capture bucket's ground-truth/<endpoint>/yyyy/mm/dd/hh/ are picked up). One line is
printed per thing that happens, until the stop event is set (Ctrl-C or SIGTERM in the CLI).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mlops_local.assembly import Assembly, cached_assembly
from mlops_local.demo import delivery_summary
from mlops_local.moto_server import REGION
from mlops_local.pipeline_calls import ActionResult
from mlops_local.pipeline_runner import Approver
from mlops_local.session import LocalOrchestrator
from mlops_local.steps import Echo

READY = "ready: waiting for uploads (Ctrl-C stops everything)"


@dataclass(frozen=True)
class ServeOptions:
    """How often to look for work, and how often to run the drift check of every endpoint."""

    poll_seconds: float = 1.0
    drift_every_seconds: float = 300.0


def connection_lines(local: LocalOrchestrator) -> list[str]:
    """Where everything is, and commands to try, with this run's URLs and names filled in."""
    emulator = local.aws.emulator.url if local.aws.emulator is not None else "(none)"
    outputs, url = local.outputs, local.aws.url
    return [
        f"local AWS (moto):      {url}  (region {REGION}, any credentials)",
        f"endpoints (emulator):  {emulator}  (SageMaker Runtime API)",
        f"provisioning API:      {local.api_url}  (SigV4 with a key the local AWS issued)",
        f"registry bucket:       {local.registry_bucket}",
        f"reports bucket:        {outputs['ReportsBucketName']}",
        "try, in another terminal:",
        f"  export MLOPS_ENDPOINT_URL={url} MLOPS_REGISTRY_BUCKET={local.registry_bucket} "
        f"MLOPS_REPORTS_BUCKET={outputs['ReportsBucketName']} AWS_ACCESS_KEY_ID=local "
        f"AWS_SECRET_ACCESS_KEY=local AWS_REGION={REGION}",
        "  mlops push model.tar.gz --manifest manifest.json",
        "  mlops status <model>",
        "  through the API, as an IAM user of the local AWS (see docs/api.md, Local mode):",
        f"  aws iam create-access-key --user-name <user> --endpoint-url {url}  (after iam create-user)",
        f"  mlops --api {local.api_url} status <model>",
        f"  aws sagemaker-runtime invoke-endpoint --endpoint-url {emulator} --endpoint-name <model>-staging "
        "--content-type text/csv --body fileb://row.csv out.json",
    ]


class _Server:
    """One serving loop over a started orchestrator."""

    def __init__(self, local: LocalOrchestrator, echo: Echo, approve: Approver) -> None:
        self._local, self._echo, self._approve = local, echo, approve
        self._reported = 0

    def _progress(self, result: ActionResult) -> None:
        status = "ok " if result.succeeded else "FAILED"
        self._echo(f"[{status}] pipeline {result.stage}/{result.action}: {result.message}")

    def _deliveries(self) -> None:
        for delivery in self._local.deliveries[self._reported :]:
            self._echo(f"[event] {delivery.rule}: {delivery_summary(delivery)}")
        self._reported = len(self._local.deliveries)

    def step(self) -> None:
        """Deliver waiting events, run started pipelines, and report what happened, in that order."""
        with self._local.lock:  # the API's requests run handlers too
            self._step()

    def _step(self) -> None:
        self._local.deliveries.extend(self._local.router.drain())
        self._deliveries()
        executions = self._local.settle(approve=self._approve, progress=self._progress)
        self._deliveries()
        for execution in executions:
            self._echo(f"[pipeline] {execution.pipeline}: {execution.status}")
        for subject, _ in self._local.notifications():
            self._echo(f"[notified] {subject}")

    def monitor(self) -> None:
        """Run the drift and model-quality checks of every deployed endpoint that has them."""
        with self._local.lock:
            self._monitor()

    def _monitor(self) -> None:
        for name, deployed in sorted(self._local.runner.endpoints.items()):
            if deployed.drift_input is not None:
                outcome = self._local.drift_check(deployed.drift_input)
                self._echo(f"[drift] {name}: {outcome.get('status')} over {outcome.get('records')} records")
            if deployed.quality_input is not None:
                outcome = self._local.quality_check(deployed.quality_input)
                self._echo(f"[quality] {name}: {outcome.get('status')} over {outcome.get('matched')} labels")


def run_serve(
    source: Path | Assembly, echo: Echo, approve: Approver, stop: threading.Event, options: ServeOptions
) -> None:
    """Start local mode (from a work dir's cached synthesis, or a given assembly), print where it is,
    then serve until `stop` is set; everything stops after."""
    assembly = source if isinstance(source, Assembly) else cached_assembly(source)[0]
    local = LocalOrchestrator(assembly)
    try:
        local.start()
        for line in connection_lines(local):
            echo(line)
        echo(READY)
        server, last_drift = _Server(local, echo, approve), time.monotonic()
        while not stop.is_set():
            server.step()
            if time.monotonic() - last_drift >= options.drift_every_seconds:
                server.monitor()
                last_drift = time.monotonic()
            stop.wait(options.poll_seconds)
    finally:
        local.stop()
