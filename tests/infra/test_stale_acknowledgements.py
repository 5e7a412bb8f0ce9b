"""Every cdk-nag acknowledgement and checkov skip accepts a real finding: none is left over from old code."""

import json
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_s3 as s3

from mlops_audit.acknowledgements import AckStatus, check_acknowledgements
from mlops_audit.checkov_skips import (
    config_skips,
    failures,
    inline_skips,
    read_config,
    stale_skips,
    without_inline_skips,
)
from mlops_audit.report import template_paths
from mlops_config import CompliancePack
from mlops_constructs.acknowledge import acknowledge
from stacks.compliance import attach_compliance_packs
from tests.conftest import REPO_ROOT
from tests.infra.test_template_checks import run_checkov

CHECKOV_CONFIG = REPO_ROOT / ".checkov.yaml"


def stale(assembly: Path) -> list[str]:
    return [f"{a.resource} {a.rule}" for a in check_acknowledgements(assembly) if a.status is AckStatus.STALE]


def test_every_acknowledgement_of_the_app_accepts_a_finding(synthesized_app):
    checked = check_acknowledgements(synthesized_app.outdir)

    assert stale(synthesized_app.outdir) == []
    assert sum(1 for a in checked if a.status is AckStatus.MATCHED) > 100


def test_a_planted_acknowledgement_that_matches_nothing_is_caught(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Throwaway")
    bucket = s3.Bucket(stack, "PlainBucket")
    logical_id = stack.resolve(bucket.node.default_child.logical_id)  # type: ignore[union-attr]
    acknowledge(bucket, {"AwsSolutions-S1": "a real finding", "AwsSolutions-IAM5[Resource::*]": "planted"})
    attach_compliance_packs(app, [CompliancePack.AWS_SOLUTIONS])

    with pytest.raises(RuntimeError, match="ValidationFailed"):  # the bucket's other findings
        app.synth()

    assert stale(tmp_path) == [f"{logical_id} AwsSolutions-IAM5[Resource::*]"]


def run_checkov_without_skips(templates: dict[str, dict], folder: Path) -> dict:
    """checkov over copies of the templates that carry no skip, with the config's skip-check removed."""
    for name, template in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(without_inline_skips(template)))
    config = {k: v for k, v in read_config(CHECKOV_CONFIG).items() if k != "skip-check"}
    (folder / "checkov.json").write_text(json.dumps(config))  # JSON is YAML
    return run_checkov(folder, folder / "checkov.json")


def test_every_checkov_skip_matches_a_failed_check(synthesized_app, tmp_path):
    outdir = synthesized_app.outdir
    templates = {str(p.relative_to(outdir)): json.loads(p.read_text()) for p in template_paths(outdir)}
    skips = [skip for name, t in templates.items() for skip in inline_skips(name, t)]
    skips += config_skips(read_config(CHECKOV_CONFIG))

    report = run_checkov_without_skips(templates, tmp_path)

    assert stale_skips(skips, failures(report)) == []
    assert len(skips) >= 5  # the templates' skips were really read
