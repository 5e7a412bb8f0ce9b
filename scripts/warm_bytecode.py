"""Write bytecode for what synthesis and local mode import, once at set-up (uv installs without it).

uv does not compile on install (pip did, for every file: over a minute here). Compiling only what the app
imports costs a fraction of that, and matters where PYTHONDONTWRITEBYTECODE is set: without cached
bytecode every synth, demo and test session would compile aws-cdk-lib's ~70 MB of imported sources again.
Run with the venv's interpreter from the repository root: `.venv/bin/python scripts/warm_bytecode.py`.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOTO_SERVICES = ("cloudformation", "cloudwatch", "dynamodb", "events", "kms", "s3", "sagemaker", "sns", "sqs")
# Synthesis (app.py starts jsii), the bundling subprocesses' pip, the CLI and local mode with its handlers.
MODULES = (
    "stacks.orchestrator_app",
    "pip._internal.commands.install",
    "pip._internal.commands.download",
    "mlops_cli.main",
    "mlops_local.demo",
    "mlops_local.serve",
    "lambdas.register.handler",
    "lambdas.register.service",
    "lambdas.register.baseline",
    "lambdas.drift_check.handler",
    "lambdas.model_quality.handler",
    "lambdas.smoke_test.handler",
    "lambdas.finalize_deployment.handler",
    "lambdas.start_deployment.handler",
    "lambdas.deployment_events.handler",
    "lambdas.registry_approval.handler",
    "mlops_drift.report_html",
    # moto loads a service's backend with its first request, and CloudFormation all of them.
    "moto.cloudformation.parsing",
    *(f"moto.{service}.urls" for service in MOTO_SERVICES),
)


def main() -> None:
    """Import every module above with bytecode writing on, whatever the environment says."""
    sys.dont_write_bytecode = False
    sys.path.insert(0, str(ROOT))
    for name in MODULES:
        importlib.import_module(name)


if __name__ == "__main__":
    main()
