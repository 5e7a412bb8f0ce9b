"""The orchestrator's CDK app: every stack of a deployment config, gated by the compliance packs.

`app.py` (the CDK entry point), local mode and the tests all build the app through this module.
"""

import json
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Tags

from mlops_config import ConfigError, OrchestratorConfig
from stacks.blueprints import synthesize_blueprints
from stacks.compliance import attach_compliance_packs
from stacks.tooling_stack import ToolingStack

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "default.toml"
BLUEPRINTS_FOLDER = "blueprints"


def feature_flags() -> dict[str, Any]:
    """The feature flags of cdk.json, which every app of this project (and the tests) must use."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return context


def build_app(app: App, config: OrchestratorConfig) -> App:
    """Add every stack of the orchestrator to `app` and gate synthesis on the compliance packs."""
    _refuse_remote_stages(config)
    blueprints = synthesize_blueprints(config, Path(app.outdir) / BLUEPRINTS_FOLDER, feature_flags())
    env = Environment(account=config.environment.account, region=config.environment.region)
    ToolingStack(app, f"{config.project_name}-Tooling", config=config, blueprints=blueprints, env=env)
    for key, value in config.tags.items():
        Tags.of(app).add(key, value)
    attach_compliance_packs(app, config.compliance_packs)
    return app


def _refuse_remote_stages(config: OrchestratorConfig) -> None:
    """Stages in other accounts or regions need target stacks not built yet: say so, never ignore it."""
    home = (config.environment.account, config.environment.region)
    remote = [
        stage.name
        for stage in config.stages
        if (stage.account, stage.region) != (None, None) and (stage.account, stage.region) != home
    ]
    if remote:
        raise ConfigError(
            f"stages {remote} name an account or region other than the tooling environment {home}; "
            "deploying stages into other accounts is not supported yet: leave their account and region unset"
        )
