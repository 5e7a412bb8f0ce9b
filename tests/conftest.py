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

from app import DEFAULT_CONFIG, build_app  # noqa: E402
from mlops_config import OrchestratorConfig, load_config  # noqa: E402


@dataclass(frozen=True)
class SynthesizedApp:
    """The cloud assembly of the whole app with the default config."""

    outdir: Path
    config: OrchestratorConfig

    def template_files(self) -> list[Path]:
        """Every synthesized CloudFormation template."""
        return sorted(self.outdir.glob("*.template.json"))

    def template(self, stack_suffix: str) -> Template:
        """The assertions view of the stack whose name ends with `stack_suffix`."""
        (path,) = [p for p in self.template_files() if p.name.endswith(f"-{stack_suffix}.template.json")]
        return Template.from_json(json.loads(path.read_text()))


def cdk_json_context() -> dict[str, object]:
    """The feature flags from cdk.json, which the CLI passes to app.py and tests must pass themselves."""
    context: dict[str, object] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return context


@pytest.fixture(scope="session")
def default_config() -> OrchestratorConfig:
    return load_config(DEFAULT_CONFIG)


@pytest.fixture(scope="session")
def synthesized_app(
    tmp_path_factory: pytest.TempPathFactory, default_config: OrchestratorConfig
) -> Iterator[SynthesizedApp]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = build_app(App(outdir=str(outdir), context=cdk_json_context()), default_config)
    app.synth()
    yield SynthesizedApp(outdir=outdir, config=default_config)
