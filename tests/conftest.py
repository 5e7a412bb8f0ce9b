"""Shared fixtures: the whole app is synthesized once per test session (each App costs seconds)."""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# jsii starts `node` from PATH when aws_cdk is first imported: put the pinned Node.js 22 first.
os.environ["PATH"] = f"{REPO_ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"

import pytest  # noqa: E402
from aws_cdk import App  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from mlops_config import OrchestratorConfig, load_config  # noqa: E402
from stacks.orchestrator_app import BLUEPRINTS_FOLDER, DEFAULT_CONFIG, build_app, feature_flags  # noqa: E402


@dataclass(frozen=True)
class SynthesizedApp:
    """The cloud assembly of the whole app with the default config."""

    outdir: Path
    config: OrchestratorConfig

    def template_files(self) -> list[Path]:
        """Every synthesized CloudFormation template, the endpoint blueprints included."""
        return sorted([*self.outdir.glob("*.template.json"), *self.blueprint_dir.glob("*.template.json")])

    @property
    def blueprint_dir(self) -> Path:
        """The blueprints' own cloud assembly."""
        return self.outdir / BLUEPRINTS_FOLDER

    def template(self, stack_suffix: str) -> Template:
        """The assertions view of the stack whose name ends with `stack_suffix`."""
        (path,) = [p for p in self.template_files() if p.name.endswith(f"-{stack_suffix}.template.json")]
        return Template.from_json(json.loads(path.read_text()))


@pytest.fixture(scope="session")
def default_config() -> OrchestratorConfig:
    return load_config(DEFAULT_CONFIG)


@pytest.fixture(scope="session")
def synthesized_app(
    tmp_path_factory: pytest.TempPathFactory, default_config: OrchestratorConfig
) -> Iterator[SynthesizedApp]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = build_app(App(outdir=str(outdir), context=feature_flags()), default_config)
    app.synth()
    yield SynthesizedApp(outdir=outdir, config=default_config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end tests run last in any run that includes them: their embedded AWS lives until the session
    ends (a session fixture with process-wide boto3 hooks), and tests after them would talk to it."""
    e2e = [item for item in items if item.nodeid.startswith("tests/e2e/")]
    if e2e:
        others = [item for item in items if not item.nodeid.startswith("tests/e2e/")]
        items[:] = others + e2e
