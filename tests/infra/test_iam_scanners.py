"""The independent IAM scanners (cloudsplaining, parliament) over every synthesized template."""

import json

import pytest

from mlops_audit.iam_policies import PolicyKind, TemplatePolicy
from mlops_audit.iam_scanners import (
    CLOUDSPLAINING,
    PARLIAMENT,
    Acknowledgement,
    load_acknowledgements,
    scan_policy,
    scan_templates,
)

# One statement per cloudsplaining risk; each is a textbook case of the risk, with no resource constraint.
RISKY = {
    "privilege-escalation": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    "data-exfiltration": ["s3:GetObject"],
    "resource-exposure": ["s3:PutBucketPolicy"],
    "infrastructure-modification": ["ec2:TerminateInstances"],
}


@pytest.fixture(scope="module")
def results(synthesized_app):
    return scan_templates(synthesized_app.template_files())


def identity_policy(statements):
    return TemplatePolicy(
        "Bad", "BadPolicy", PolicyKind.IDENTITY, {"Version": "2012-10-17", "Statement": statements}
    )


def test_scanners_leave_no_unacknowledged_finding(results):
    assert results.policies >= 50  # roles, their policies and the resource policies were all read
    assert not [finding.describe() for finding in results.unacknowledged]


def test_every_acknowledgement_matches_a_finding(results):
    assert not results.unused_acknowledgements


@pytest.mark.parametrize(("risk", "actions"), RISKY.items())
def test_cloudsplaining_reports_each_risk_of_a_bad_policy(risk, actions):
    findings = scan_policy(identity_policy([{"Effect": "Allow", "Action": actions, "Resource": "*"}]))
    assert (CLOUDSPLAINING, risk) in {(f.scanner, f.check) for f in findings}


def test_parliament_reports_an_action_that_does_not_exist():
    policy = identity_policy([{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}])
    assert (PARLIAMENT, "UNKNOWN_ACTION") in {(f.scanner, f.check) for f in scan_policy(policy)}


def test_a_bad_policy_in_a_template_is_unacknowledged(tmp_path):
    statement = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
    template = {
        "Resources": {
            "LeakyPolicy": {
                "Type": "AWS::IAM::Policy",
                "Properties": {"PolicyDocument": {"Statement": [statement]}, "Roles": [{"Ref": "R"}]},
            }
        }
    }
    (tmp_path / "Bad.template.json").write_text(json.dumps(template))
    results = scan_templates([tmp_path / "Bad.template.json"])
    assert ("data-exfiltration", "LeakyPolicy", "s3:GetObject") in {
        (f.check, f.resource, f.subject) for f in results.unacknowledged
    }


def test_an_acknowledgement_covers_only_its_scanner_check_and_patterns():
    ack = Acknowledgement(PARLIAMENT, "RESOURCE_MISMATCH", "Deployment*", "*s3:List*", "reviewed")
    policy = identity_policy([{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}])
    (finding,) = [f for f in scan_policy(policy) if f.check == "UNKNOWN_ACTION"]
    assert not ack.covers(finding)


def test_acknowledgements_without_a_reason_are_refused(tmp_path):
    path = tmp_path / "acks.toml"
    entry = ['scanner = "parliament"', 'check = "X"', 'resource = "*"', 'subject = "*"', 'reason = " "']
    path.write_text("\n".join(["[[acknowledgement]]", *entry]) + "\n")
    with pytest.raises(ValueError, match="without a reason"):
        load_acknowledgements(path)


def test_the_compliance_report_lists_the_scanners_results(synthesized_app):
    from mlops_audit.__main__ import main

    main([str(synthesized_app.outdir)])

    report = (synthesized_app.outdir / "compliance-report.md").read_text()
    section = report.split("## Independent IAM scanners (cloudsplaining, parliament)", 1)[1]
    assert "; 0 unacknowledged findings;" in section
    assert "- acknowledged (" in section and "UNACKNOWLEDGED" not in section
