"""The cdk-nag gate: the app passes every configured pack, and the gate really fails on a bad resource."""

import json

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_s3 as s3

from mlops_config import CompliancePack
from stacks.compliance import attach_compliance_packs


def test_whole_app_has_no_unacknowledged_finding(synthesized_app):
    # The fixture's synth would have raised on a finding; the report confirms every pack ran clean.
    report = json.loads((synthesized_app.outdir / "validation-report.json").read_text())
    violations = [v for plugin in report["pluginReports"] for v in plugin.get("violations", [])]
    assert violations == []


def test_all_four_packs_are_configured(synthesized_app):
    assert {
        CompliancePack.AWS_SOLUTIONS,
        CompliancePack.NIST_800_53_R5,
        CompliancePack.HIPAA_SECURITY,
        CompliancePack.PCI_DSS_321,
    } <= set(synthesized_app.config.compliance_packs)


def test_gate_fails_on_a_non_compliant_bucket(tmp_path):
    app = App(outdir=str(tmp_path))
    s3.Bucket(Stack(app, "Throwaway"), "PlainBucket")
    attach_compliance_packs(app, list(CompliancePack))

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()

    report = json.loads((tmp_path / "validation-report.json").read_text())
    failing = {
        (plugin["pluginName"], violation["ruleName"])
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
    }
    assert ("AwsSolutions", "AwsSolutions-S10") in failing
    assert ("NIST.800.53.R5", "NIST.800.53.R5-S3DefaultEncryptionKMS") in failing
    assert ("HIPAA.Security", "HIPAA.Security-S3BucketVersioningEnabled") in failing
    assert ("PCI.DSS.321", "PCI.DSS.321-S3BucketLoggingEnabled") in failing
