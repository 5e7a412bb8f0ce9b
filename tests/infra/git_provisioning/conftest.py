"""config/git-provisioning.toml, synthesized once for these tests (every compliance pack gating it)."""

import json
from pathlib import Path

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from mlops_config import load_config
from stacks.orchestrator_app import build_app, feature_flags
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "config" / "git-provisioning.toml"


class GitApp:
    """The cloud assembly of the worked Git provisioning example."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        (path,) = outdir.glob("*-Tooling.template.json")
        self.raw = json.loads(path.read_text())
        self.tooling = Template.from_json(self.raw)

    def resources(self, kind: str) -> dict:
        return {k: v for k, v in self.raw["Resources"].items() if v["Type"] == kind}


@pytest.fixture(scope="session")
def git_app(tmp_path_factory: pytest.TempPathFactory) -> GitApp:
    outdir = tmp_path_factory.mktemp("git-provisioning.out")
    build_app(App(outdir=str(outdir), context=feature_flags()), load_config(EXAMPLE)).synth()
    return GitApp(outdir)
