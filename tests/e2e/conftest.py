"""Local mode for the end-to-end tests: one embedded AWS per session on the session's synthesized app.

The app is synthesized once per session with config/local-training.toml: the default deployment plus
the training pipelines of tests/e2e/test_retraining.py (its `[training]` table adds state machines, a
function and trigger rules, and changes nothing of the deployment flow the other tests exercise), so
the training tests cost no synthesis of their own.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mlops_config import load_config
from mlops_local.assembly import Assembly
from mlops_local.demo_model import DemoModel, build_demo_model
from mlops_local.pipeline_calls import Execution
from mlops_local.session import LocalOrchestrator
from mlops_local.upload import push_model
from stacks.orchestrator_app import build_app, feature_flags
from tests.conftest import REPO_ROOT, SynthesizedApp

Mutation = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Pushed:
    """A model pushed through local mode and what its upload caused."""

    model: DemoModel
    manifest: dict[str, Any]
    executions: list[Execution]


LOCAL_TRAINING_CONFIG = REPO_ROOT / "config" / "local-training.toml"
FIRST = "tests/e2e/test_multi_account.py"  # its own local AWS, stopped before the session's one starts


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The multi-account module runs before any other end-to-end test (after the suite's own ordering)."""
    first = [item for item in items if item.nodeid.startswith(FIRST)]
    if first:
        rest = [item for item in items if not item.nodeid.startswith(FIRST)]
        at = next((i for i, item in enumerate(rest) if item.nodeid.startswith("tests/e2e/")), len(rest))
        items[:] = rest[:at] + first + rest[at:]


@pytest.fixture(scope="session")
def synthesized_app(tmp_path_factory: pytest.TempPathFactory) -> SynthesizedApp:
    """Overrides the suite's default-config app for the end-to-end tests (see the module docstring)."""
    from aws_cdk import App

    outdir = tmp_path_factory.mktemp("local-training.out")
    config = load_config(LOCAL_TRAINING_CONFIG)
    build_app(App(outdir=str(outdir), context=feature_flags()), config).synth()
    return SynthesizedApp(outdir=outdir, config=config)


@pytest.fixture(scope="session")
def local(synthesized_app) -> Iterator[LocalOrchestrator]:
    with LocalOrchestrator(Assembly(synthesized_app.outdir)) as orchestrator:
        yield orchestrator


@pytest.fixture
def push(local: LocalOrchestrator, tmp_path: Path) -> Callable[..., Pushed]:
    """Build the demo model under a test's own name, optionally alter its manifest, push it, settle."""

    def _push(
        name: str, mutate: Mutation | None = None, approve: Callable[[str], bool] | None = None
    ) -> Pushed:
        model = build_demo_model(tmp_path / name, model_name=name)
        manifest = json.loads(model.manifest.read_text())
        if mutate is not None:
            mutate(manifest)
        push_model(local.aws.client("s3"), local.registry_bucket, model.artifact, manifest, model.baseline)
        local.settle() if approve is None else local.settle(approve=approve)
        return Pushed(model, manifest, executions_of(local, name))

    return _push


def executions_of(local: LocalOrchestrator, model_name: str) -> list[Execution]:
    """Every pipeline execution started for a model."""
    return [e for e in local.calls.executions if e.variables.get("ModelName") == model_name]


def stack_exists(local: LocalOrchestrator, name: str) -> bool:
    """True when the endpoint stack was created in the local CloudFormation."""
    stacks = local.aws.client("cloudformation").list_stacks()["StackSummaries"]
    return any(s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE" for s in stacks)


def upload_deliveries(local: LocalOrchestrator, model_name: str) -> list[Any]:
    """Deliveries of S3 events for a model's uploads (not the orchestrator's own events)."""
    key = f"models/{model_name}/"
    return [
        d
        for d in local.deliveries
        if d.event.get("detail", {}).get("object", {}).get("key", "").startswith(key)
    ]
