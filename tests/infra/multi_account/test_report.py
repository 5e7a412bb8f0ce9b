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
    regional = multi_account_app.template("MlopsOrchestrator-PipelineArtifacts-us-east-1")[
        "Resources"
    ].values()
    named_there = set(STAGE_ROLE.findall(json.dumps([r for r in regional if r["Type"] in RESOURCE_POLICIES])))

    assert summary.passed, summary
    # 3 deploy and 3 CloudFormation roles and 3 per-model role paths of the tooling region's stages; per
    # target stack the checks', smoke test's and forwarding roles; the second region's copy function (its
    # model roles read copies in their own account, its deploy and CloudFormation roles the store of its
    # region). The stage SageMaker roles read nothing of the tooling account's any more; production's batch
    # role reads registered artifacts and pulls built images.
    assert len(named) == 3 * 2 + 3 + 3 * 4 + 1 + 1
    assert len([role for role in named if "batchrole" in role]) == 1
    assert {role for role in named if "/mlops/" in role} == {
        "arn:aws:iam::222222222222:role/mlops/qa/*",
        "arn:aws:iam::222222222222:role/mlops/staging/*",
        "arn:aws:iam::333333333333:role/mlops/production/*",
    }
    assert len(named_there) == 2 and not named_there & named
    section = report.split("## Cross-account access", 1)[1].split("\n## ", 1)[0]
    assert {role for role in named | named_there if role not in section} == set()


def test_the_single_account_report_says_no_policy_crosses_accounts(synthesized_app):
    report = synthesized_app.outdir / "compliance-report.md"
    write_report(synthesized_app.outdir)

    assert "No trust or resource policy names a principal of another account." in report.read_text()
