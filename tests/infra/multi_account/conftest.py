"""The worked multi-account example, synthesized once for these tests (compliance gate included)."""

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from mlops_config import OrchestratorConfig, load_config
from stacks.orchestrator_app import build_app, feature_flags
from tests.conftest import REPO_ROOT

MULTI_ACCOUNT = REPO_ROOT / "config" / "multi-account.toml"


class MultiAccountApp:
    """The cloud assembly of config/multi-account.toml, read template by template."""

    def __init__(self, outdir: Path, config: OrchestratorConfig) -> None:
        self.outdir, self.config = outdir, config
        manifest = json.loads((outdir / "manifest.json").read_text())
        self.environments = {
            name.removesuffix(".template.json"): artifact["environment"]
            for name, artifact in ((a["properties"]["templateFile"], a) for a in self._stacks(manifest))
        }

    @staticmethod
    def _stacks(manifest: dict[str, Any]) -> list[dict[str, Any]]:
        return [a for a in manifest["artifacts"].values() if a["type"] == "aws:cloudformation:stack"]

    def template(self, stack_name: str) -> dict[str, Any]:
        """One stack's template, by stack name."""
        template: dict[str, Any] = json.loads((self.outdir / f"{stack_name}.template.json").read_text())
        return template

    def templates(self) -> dict[str, dict[str, Any]]:
        """Every stack's template (the endpoint blueprints excluded), by stack name."""
        return {name: self.template(name) for name in self.environments}


@pytest.fixture(scope="session")
def multi_account_app(tmp_path_factory: pytest.TempPathFactory) -> MultiAccountApp:
    outdir = tmp_path_factory.mktemp("multi-account.out")
    config = load_config(MULTI_ACCOUNT)
    build_app(App(outdir=str(outdir), context=feature_flags()), config).synth()
    return MultiAccountApp(outdir, config)
