"""One synthesis of the default app in this process, timed by phase; prints the phases as JSON.

Run by bench/synth_bench.py in a fresh interpreter (the way the CDK CLI runs app.py), never imported by it:
    python -m bench.synth_probe OUTDIR [--no-packs] [--no-cfn-rules]
--no-packs attaches no cdk-nag pack and --no-cfn-rules turns off CDK's built-in CloudFormation rules
(`@aws-cdk/core:validateAgainstDefaultRules`): the bench subtracts those runs to price each gate.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

START = time.perf_counter()
SPENT: dict[str, float] = {}
# What the CDK CLI (2.1148) passes every app by default (its contextFromSettings), through the environment
# variable every App reads (the blueprint app too): without it the templates would lack path metadata, unlike
# `cdk synth`'s, and the compliance gate would locate findings by walking the construct tree instead.
CLI_CONTEXT: dict[str, Any] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": True,
    "aws:cdk:bundling-stacks": ["**"],
    "@aws-cdk/core:failSynthOnValidationErrors": False,
}


def timed(owner: Any, name: str, phase: str) -> None:
    """Replace `owner.name` by a wrapper adding its wall time to SPENT[phase]."""
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[phase] = SPENT.get(phase, 0.0) + time.perf_counter() - begin

    setattr(owner, name, wrapper)


def main() -> None:
    """Build and synthesize the app as app.py's main() does, into the given outdir."""
    outdir, flags = sys.argv[1], set(sys.argv[2:])
    os.environ["CDK_CONTEXT_JSON"] = json.dumps(CLI_CONTEXT)  # read by jsii's node process, started below
    from aws_cdk import App

    from mlops_config import load_config
    from mlops_constructs import local_bundling
    from stacks import blueprints
    from stacks import orchestrator_app as app

    SPENT["import"] = time.perf_counter() - START  # Python, aws_cdk, jsii's node process, the assemblies
    if "--no-packs" in flags:
        for module in (app, blueprints):  # both attach packs: to the tooling app and the blueprint app
            vars(module)["attach_compliance_packs"] = lambda *_: None
    context = app.feature_flags()
    if "--no-cfn-rules" in flags:
        context["@aws-cdk/core:validateAgainstDefaultRules"] = False
    timed(app, "synthesize_blueprints", "blueprint app")
    timed(local_bundling._InstallWheels, "try_bundle", "bundling: layers")
    timed(local_bundling._CopyPackages, "try_bundle", "bundling: function code")
    cdk_app = App(outdir=outdir, context=context)
    begin = time.perf_counter()
    app.build_app(cdk_app, load_config(app.DEFAULT_CONFIG))
    built = time.perf_counter() - begin
    SPENT["tooling construction"] = built - sum(v for k, v in SPENT.items() if k not in ("import",))
    begin = time.perf_counter()
    cdk_app.synth()
    SPENT["tooling synth"] = time.perf_counter() - begin
    SPENT["total"] = time.perf_counter() - START
    sys.stdout.write(json.dumps(SPENT) + "\n")


if __name__ == "__main__":
    main()
