"""Synthesizes the endpoint blueprints in their own app; the pipelines ship their templates as an asset."""

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import App

from mlops_config import OrchestratorConfig
from mlops_contract.pipeline import ENDPOINT_TYPES, TEMPLATES_FOLDER, template_file_name
from stacks.compliance import attach_compliance_packs
from stacks.endpoint_blueprint_stack import EndpointBlueprintStack


def synthesize_blueprints(config: OrchestratorConfig, outdir: Path, context: Mapping[str, Any]) -> Path:
    """Synthesize one blueprint per endpoint type under `outdir`, gated by the same compliance packs.

    Returns the folder holding only the templates, named by inference type, which becomes the
    pipeline's source artifact. The blueprints are deployed by the pipeline, never by `cdk deploy`,
    so they live in their own cloud assembly that the CDK CLI does not pick up.
    """
    app = App(outdir=str(outdir), context=dict(context))
    stacks = {
        kind: EndpointBlueprintStack(
            app,
            f"{config.project_name}-EndpointBlueprint-{kind.value}",
            inference_type=kind,
            model_monitor=config.monitoring.sagemaker_model_monitor,
        )
        for kind in ENDPOINT_TYPES
    }
    attach_compliance_packs(app, config.compliance_packs)
    assembly = app.synth()
    templates = outdir / TEMPLATES_FOLDER
    templates.mkdir(exist_ok=True)
    for kind, stack in stacks.items():
        source = Path(assembly.get_stack_by_name(stack.stack_name).template_full_path)
        shutil.copyfile(source, templates / template_file_name(kind))
    return templates
