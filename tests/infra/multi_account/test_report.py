"""The compliance report of the multi-account example: clean, and every cross-account grant listed."""

import json
import re

from mlops_audit.report import write_report

RESOURCE_POLICIES = ("AWS::KMS::Key", "AWS::S3::BucketPolicy", "AWS::Events::EventBusPolicy")
# A role, or the path of a stage's per-model roles (created at deploy time, so named by pattern).
STAGE_ROLE = re.compile(r"arn:aws:iam::(?:222222222222|333333333333):role/[\w/*-]+")


def test_the_report_passes_and_lists_every_stage_role_the_tooling_policies_name(multi_account_app):
    summary = write_report(multi_account_app.outdir)
    report = (multi_account_app.outdir / "compliance-report.md").read_text()
    resources = multi_account_app.template("MlopsOrchestrator-Tooling")["Resources"].values()
    policies = json.dumps([r for r in resources if r["Type"] in RESOURCE_POLICIES])
    named = set(STAGE_ROLE.findall(policies))

    assert summary.passed, summary
    # 3 deploy and 3 CloudFormation roles, 3 stages' per-model role paths; per account the checks', smoke
    # test's, forwarding roles (the stage SageMaker roles read nothing of the tooling account's any more)
    assert len(named) == 17
    assert {role for role in named if "/mlops/" in role} == {
        "arn:aws:iam::222222222222:role/mlops/qa/*",
        "arn:aws:iam::222222222222:role/mlops/staging/*",
        "arn:aws:iam::333333333333:role/mlops/production/*",
    }
    section = report.split("## Cross-account access", 1)[1].split("\n## ", 1)[0]
    assert {role for role in named if role not in section} == set()


def test_the_single_account_report_says_no_policy_crosses_accounts(synthesized_app):
    report = synthesized_app.outdir / "compliance-report.md"
    write_report(synthesized_app.outdir)

    assert "No trust or resource policy names a principal of another account." in report.read_text()
