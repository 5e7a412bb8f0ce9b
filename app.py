#!/usr/bin/env python3
"""The CDK app: reads the deployment config named in context, builds the stacks, attaches compliance gates."""

import json
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Tags

from mlops_config import ConfigError, OrchestratorConfig, load_config
from stacks.blueprints import synthesize_blueprints
from stacks.compliance import attach_compliance_packs
from stacks.tooling_stack import ToolingStack

REPO_ROOT = Path(__file__).parent
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


def main() -> None:
    """Entry point used by `cdk synth` / `cdk deploy` through cdk.json."""
    app = App()
    config_path = Path(app.node.try_get_context("config") or DEFAULT_CONFIG)
    build_app(app, load_config(config_path))
    app.synth()


if __name__ == "__main__":
    main()
