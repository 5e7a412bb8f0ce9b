"""Write bytecode for what synthesis and local mode import, once at set-up (uv installs without it).

uv does not compile on install (pip did, for every file: over a minute here). Compiling only what the app
imports costs a fraction of that, and matters where PYTHONDONTWRITEBYTECODE is set: without cached
bytecode every synth, demo and test session would compile aws-cdk-lib's ~70 MB of imported sources again.
Run with the venv's interpreter: `.venv/bin/python scripts/warm_bytecode.py synth|local`. The synth group
starts jsii, so it needs node_modules; the local group does not, and runs while npm is still installing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOTO_SERVICES = ("cloudformation", "cloudwatch", "dynamodb", "events", "kms", "s3", "sagemaker", "sns", "sqs")
# Synthesis (the app builder starts jsii; the layers are bundled by uv, which needs no bytecode).
SYNTH = ("stacks.orchestrator_app",)
# The CLI, local mode with its handlers, and what moto loads with its first requests.
LOCAL = (
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
    """Import one group's modules with bytecode writing on, whatever the environment says."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("group", choices=("synth", "local"))
    modules = SYNTH if parser.parse_args().group == "synth" else LOCAL
    sys.dont_write_bytecode = False
    sys.path.insert(0, str(ROOT))
    for name in modules:
        importlib.import_module(name)


if __name__ == "__main__":
    main()
