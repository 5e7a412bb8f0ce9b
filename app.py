#!/usr/bin/env python3
"""The CDK entry point (cdk.json): reads the deployment config named in context and synthesizes the app."""

from pathlib import Path

from aws_cdk import App

from mlops_config import load_config
from stacks.orchestrator_app import DEFAULT_CONFIG, build_app


def main() -> None:
    """Entry point used by `cdk synth` / `cdk deploy` through cdk.json."""
    app = App()
    config_path = Path(app.node.try_get_context("config") or DEFAULT_CONFIG)
    build_app(app, load_config(config_path))
    app.synth()


if __name__ == "__main__":
    main()
