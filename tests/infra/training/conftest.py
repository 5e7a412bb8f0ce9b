"""config/training.toml synthesized once for these tests (the compliance gate included: build_app)."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from mlops_config import load_config
from stacks.orchestrator_app import build_app, feature_flags
from tests.conftest import REPO_ROOT

TRAINING_CONFIG = REPO_ROOT / "config" / "training.toml"


@dataclass(frozen=True)
class TrainingApp:
    """The tooling template of the training config and its churn state machine's definition."""

    outdir: Path
    template: dict[str, Any]

    def definition(self, model: str = "churn") -> dict[str, Any]:
        """A pipeline's states (churn's unless named), tokens replaced by a placeholder so the JSON parses."""
        prefix = f"Training{model.replace('-', '')}StateMachine"
        (machine,) = [
            r for k, r in self.template["Resources"].items()
            if r["Type"] == "AWS::StepFunctions::StateMachine" and k.startswith(prefix)
        ]  # fmt: skip
        parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
        text = "".join(p if isinstance(p, str) else "TOKEN" for p in parts)
        document: dict[str, Any] = json.loads(text)
        return document


@pytest.fixture(scope="session")
def training_app(tmp_path_factory: pytest.TempPathFactory) -> TrainingApp:
    outdir = tmp_path_factory.mktemp("training.out")
    build_app(App(outdir=str(outdir), context=feature_flags()), load_config(TRAINING_CONFIG)).synth()
    (path,) = outdir.glob("*-Tooling.template.json")
    return TrainingApp(outdir, json.loads(path.read_text()))
