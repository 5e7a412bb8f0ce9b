#!/usr/bin/env python3
"""The CDK app: reads the deployment config named in context, builds the stacks, attaches compliance gates."""

from pathlib import Path

from aws_cdk import App, Environment, Tags

from mlops_config import OrchestratorConfig, load_config
from stacks.compliance import attach_compliance_packs
from stacks.tooling_stack import ToolingStack

DEFAULT_CONFIG = Path(__file__).parent / "config" / "default.toml"


def build_app(app: App, config: OrchestratorConfig) -> App:
    """Add every stack of the orchestrator to `app` and gate synthesis on the compliance packs."""
    env = Environment(account=config.environment.account, region=config.environment.region)
    ToolingStack(app, f"{config.project_name}-Tooling", config=config, env=env)
    for key, value in config.tags.items():
        Tags.of(app).add(key, value)
    attach_compliance_packs(app, config.compliance_packs)
    return app


def main() -> None:
    """Entry point used by `cdk synth` / `cdk deploy` through cdk.json."""
    app = App()
    config_path = Path(app.node.try_get_context("config") or DEFAULT_CONFIG)
    build_app(app, load_config(config_path))
    app.synth()


if __name__ == "__main__":
    main()
