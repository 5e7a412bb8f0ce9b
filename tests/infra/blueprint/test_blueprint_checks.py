"""The blueprint templates pass cfn-lint and checkov; the compliance packs really ran on them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.infra.test_template_checks import run_checkov


def test_cfn_lint_reports_nothing_on_any_blueprint(blueprints):
    templates = sorted(str(p) for p in blueprints.outdir.glob("Blueprint-*.template.json"))
    assert len(templates) == 3
    cfn_lint = Path(sys.executable).parent / "cfn-lint"

    result = subprocess.run([str(cfn_lint), *templates], capture_output=True, text=True, check=False)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_checkov_fails_nothing_and_every_skip_has_a_reason(blueprints):
    report = run_checkov(blueprints.outdir)

    assert [c["check_id"] for c in report["results"]["failed_checks"]] == []
    assert report["summary"]["passed"] >= 2  # the endpoint configurations' KMS check (CKV_AWS_98)
    for skipped in report["results"].get("skipped_checks", []):
        assert skipped["check_result"].get("suppress_comment"), skipped["check_id"]


def test_the_only_acknowledged_findings_are_the_serverless_kms_key_and_the_model_roles_policy(blueprints):
    acknowledged = {
        (stack, resource["Type"], entry["id"])
        for stack in ("realtime", "serverless", "async")
        for resource in blueprints.json_by_name(stack)["Resources"].values()
        for entry in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    }
    packs = ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
    others = {(stack, rule) for stack, kind, rule in acknowledged if kind != "AWS::IAM::Role"}
    assert others == {
        ("serverless", f"{pack}-SageMakerEndpointConfigurationKMSKeyConfigured") for pack in packs
    }
    # The model's role: its wildcards (each with a reason) and its one inline policy, nothing else.
    on_roles = {rule.split("[")[0] for _, kind, rule in acknowledged if kind == "AWS::IAM::Role"}
    assert on_roles == {"AwsSolutions-IAM5", *(f"{pack}-IAMNoInlinePolicy" for pack in packs)}
