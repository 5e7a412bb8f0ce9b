"""`mlops local serve` in its own process, driven from others as a user would: push, status, invoke."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlops_local.demo_model import build_demo_model, normal_rows
from mlops_local.serve import READY

pytestmark = [pytest.mark.slow]
MODEL = "served"
TIMEOUT_SECONDS = 120


def _clean_env() -> dict[str, str]:
    """This process's environment without the in-process local mode's AWS settings, with fake keys."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_ENDPOINT_URL", "MLOPS_"))}
    return {**env, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1"}


class Served:
    """The serve process, the lines it printed, and where it said things are."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process, self.lines = process, []
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while READY not in self.lines:
            line = process.stdout.readline() if process.stdout else ""
            if not line or time.monotonic() > deadline:
                raise AssertionError(f"serve did not get ready: {self.lines}")
            self.lines.append(line.rstrip("\n"))
        self.url, self.emulator = re.findall(r"http://127\.0\.0\.1:\d+", "\n".join(self.lines))[:2]
        (self.bucket,) = [line.split()[-1] for line in self.lines if line.startswith("registry bucket:")]
        (self.api,) = [line.split()[2] for line in self.lines if line.startswith("provisioning API:")]

    def env(self) -> dict[str, str]:
        return {**_clean_env(), "MLOPS_ENDPOINT_URL": self.url, "MLOPS_REGISTRY_BUCKET": self.bucket}

    def mlops(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mlops_cli", *args]
        return subprocess.run(
            command, env=self.env(), capture_output=True, text=True, timeout=60, check=False
        )

    def client(self, service: str, url: str) -> Any:
        keys = {"aws_access_key_id": "local", "aws_secret_access_key": "local", "region_name": "us-east-1"}
        return boto3.client(service, endpoint_url=url, **keys)


@pytest.fixture
def served(synthesized_app) -> Iterator[Served]:
    command = [sys.executable, "-m", "mlops_cli", "local", "serve", "--assembly", str(synthesized_app.outdir)]
    process = subprocess.Popen(command, env=_clean_env(), stdout=subprocess.PIPE, text=True)
    try:
        yield Served(process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _status(served: Served) -> dict:
    result = served.mlops("status", MODEL, "--json")
    return json.loads(result.stdout) if result.returncode == 0 else {}


def test_a_model_pushed_from_another_process_reaches_production(served: Served, tmp_path: Path) -> None:
    # Given: the demo model, its baseline uploaded as `aws s3 cp` would
    model = build_demo_model(tmp_path / MODEL, model_name=MODEL)
    manifest = json.loads(model.manifest.read_text())
    s3 = served.client("s3", served.url)
    s3.upload_file(str(model.baseline), served.bucket, manifest["monitoring"]["baseline_dataset_key"])

    # When: it is pushed with the CLI, in its own process
    pushed = served.mlops("push", str(model.artifact), "--manifest", str(model.manifest), "--no-progress")
    assert pushed.returncode == 0, pushed.stderr

    # Then: `mlops status` sees it approved and in service in both stages
    deadline, status, endpoints = time.monotonic() + TIMEOUT_SECONDS, {}, {}
    while time.monotonic() < deadline:
        status = _status(served)
        endpoints = {e["stage"]: e["status"] for e in status.get("endpoints") or []}
        approvals = [v.get("approval") for v in status.get("versions") or []]
        # Finalize approves the package after the production endpoint is in service: wait for both.
        if endpoints.get("production") == "InService" and approvals == ["Approved"]:
            break
        time.sleep(1)
    assert endpoints == {"staging": "InService", "production": "InService"}, status
    assert [(v["version"], v["approval"]) for v in status["versions"]] == [(model.version, "Approved")]

    # And: the production endpoint answers on the emulator with the model's prediction
    runtime = served.client("sagemaker-runtime", served.emulator)
    row = ",".join(str(v) for v in normal_rows(1)[0])
    answer = runtime.invoke_endpoint(EndpointName=f"{MODEL}-production", ContentType="text/csv", Body=row)
    assert 0.0 <= float(answer["Body"].read()) <= 1.0

    # And: the provisioning API is served beside them, refusing unsigned requests as API Gateway does
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{served.api}models/{MODEL}", timeout=10)
    assert refused.value.code == 403

    # And: the serve process reported the registration and the deployment as they happened
    served.process.send_signal(signal.SIGTERM)
    output, _ = served.process.communicate(timeout=30)
    assert served.process.returncode == 0
    printed = "\n".join(served.lines) + output
    assert f"Register registered model-package/{MODEL}/1" in printed
    assert "pipeline Production/Finalize: job succeeded" in printed
    assert f"[notified] Model deployed: {MODEL} {model.version} (production)" in printed
