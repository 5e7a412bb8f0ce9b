"""The three endpoint blueprints, synthesized once per session with every compliance pack attached."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

import tests.conftest  # noqa: F401  (puts the pinned Node.js first on PATH before aws_cdk starts)
from mlops_config import CompliancePack
from mlops_contract.pipeline import ENDPOINT_TYPES
from mlops_manifest.inference import InferenceType
from stacks.compliance import attach_compliance_packs
from stacks.endpoint_blueprint_stack import EndpointBlueprintStack
from stacks.orchestrator_app import feature_flags

INSTANCE_BACKED = (InferenceType.REALTIME, InferenceType.ASYNC)
MAIN_PACKS = (
    CompliancePack.AWS_SOLUTIONS,
    CompliancePack.NIST_800_53_R5,
    CompliancePack.HIPAA_SECURITY,
    CompliancePack.PCI_DSS_321,
)


@dataclass(frozen=True)
class Blueprints:
    """Synthesized blueprint templates by inference type, and what the extension hook received."""

    outdir: Path
    extended: dict[InferenceType, list[object]]

    def path(self, kind: InferenceType) -> Path:
        return self.outdir / f"Blueprint-{kind.value}.template.json"

    def json(self, kind: InferenceType) -> dict:
        return json.loads(self.path(kind).read_text())

    def json_by_name(self, kind: str) -> dict:
        return self.json(InferenceType(kind))

    def template(self, kind: InferenceType) -> Template:
        return Template.from_json(self.json(kind))


@pytest.fixture(scope="session")
def blueprints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Blueprints]:
    outdir = tmp_path_factory.mktemp("blueprints")
    app = App(outdir=str(outdir), context=feature_flags())
    extended: dict[InferenceType, list[object]] = {}
    for kind in ENDPOINT_TYPES:
        seen = extended.setdefault(kind, [])
        EndpointBlueprintStack(app, f"Blueprint-{kind.value}", inference_type=kind, extensions=[seen.append])
    attach_compliance_packs(app, MAIN_PACKS)
    app.synth()  # raises on any unacknowledged finding
    yield Blueprints(outdir=outdir, extended=extended)


def resources_of(document: dict, resource_type: str) -> dict[str, dict]:
    """The template's resources of one type, by logical ID."""
    return {key: r for key, r in document["Resources"].items() if r["Type"] == resource_type}


def the_one(document: dict, resource_type: str) -> dict:
    """The single resource of a type (fails when there are none or several)."""
    (resource,) = resources_of(document, resource_type).values()
    return resource
