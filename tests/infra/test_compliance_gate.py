"""The cdk-nag gate: the app passes every configured pack, and the gate really fails on a bad resource."""

import json

import cdk_nag
import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_s3 as s3
from aws_cdk.aws_sns import Topic

from mlops_audit.pack_record import read_records
from mlops_config import CompliancePack
from mlops_constructs.acknowledge import acknowledge
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


@pytest.mark.parametrize("path_metadata", [True, False], ids=["path metadata", "no path metadata"])
def test_an_acknowledged_finding_passes_the_gate_and_its_record_says_so(tmp_path, path_metadata):
    app = App(outdir=str(tmp_path), context={"aws:cdk:enable-path-metadata": path_metadata})
    bucket = s3.Bucket(Stack(app, "Throwaway"), "PlainBucket")
    acknowledge(bucket, {"AwsSolutions-S1": "access logs go elsewhere in this test"})
    attach_compliance_packs(app, [CompliancePack.AWS_SOLUTIONS])

    with pytest.raises(RuntimeError, match="ValidationFailed"):  # the bucket's other findings
        app.synth()

    report = json.loads((tmp_path / "validation-report.json").read_text())
    failing = {
        violation["ruleName"] for plugin in report["pluginReports"] for violation in plugin["violations"]
    }
    (record,) = read_records(tmp_path)
    recorded = {finding.rule: finding for finding in record.findings}
    assert "AwsSolutions-S10" in failing and "AwsSolutions-S1" not in failing
    assert recorded["AwsSolutions-S1"].acknowledged and not recorded["AwsSolutions-S10"].acknowledged
    assert recorded["AwsSolutions-S1"].logical_id.startswith("PlainBucket")


def test_each_pack_runs_once_per_synthesis(tmp_path, monkeypatch):
    runs: list[str] = []
    for pack in (cdk_nag.AwsSolutionsChecks, cdk_nag.NIST80053R5Checks):
        original = pack.validate
        monkeypatch.setattr(
            pack, "validate", lambda self, ctx, run=original: runs.append(self.name) or run(self, ctx)
        )
    app = App(outdir=str(tmp_path))
    Topic(Stack(app, "Throwaway"), "Topic", enforce_ssl=True)
    attach_compliance_packs(app, [CompliancePack.AWS_SOLUTIONS, CompliancePack.NIST_800_53_R5])

    with pytest.raises(RuntimeError, match="ValidationFailed"):  # the topic is not KMS-encrypted
        app.synth()

    assert sorted(runs) == ["AwsSolutions", "NIST.800.53.R5"]
