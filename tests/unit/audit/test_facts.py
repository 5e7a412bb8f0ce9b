"""Template facts for the auditor, checked on small hand-written templates."""

from mlops_audit import facts

TEMPLATE = {
    "Resources": {
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {},
                "Policies": [
                    {
                        "PolicyDocument": {
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:GetObject",
                                    "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]},
                                },
                                {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
                            ]
                        }
                    }
                ],
            },
        },
        "Policy": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "Roles": [{"Ref": "Role"}],
                "PolicyDocument": {
                    "Statement": [{"Effect": "Allow", "Action": ["sns:Publish"], "Resource": {"Ref": "T"}}]
                },
            },
        },
        "B": {
            "Type": "AWS::S3::Bucket",
            "Properties": {},
            "Metadata": {
                "cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S1", "reason": "log bucket"}]},
                "checkov": {"skip": [{"id": "CKV_AWS_18", "comment": "log bucket"}]},
            },
        },
        "T": {"Type": "AWS::SNS::Topic", "Properties": {}},
        "Q": {"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": {"Ref": "K"}}},
        "L": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
    }
}


def test_resource_counts():
    assert facts.resource_counts(TEMPLATE)["AWS::IAM::Role"] == 1
    assert sum(facts.resource_counts(TEMPLATE).values()) == 6


def test_role_grants_cover_inline_and_attached_policies_and_skip_denies():
    grants = facts.role_grants(TEMPLATE)

    assert facts.Grant("Role", ("s3:GetObject",), ("${B.Arn}/*",)) in grants
    assert facts.Grant("Role", ("sns:Publish",), ("${T}",)) in grants
    assert len(grants) == 2


def test_acknowledgements_from_both_tools():
    acks = facts.acknowledgements(TEMPLATE)

    assert {(a.tool, a.rule, a.reason) for a in acks} == {
        ("cdk-nag", "AwsSolutions-S1", "log bucket"),
        ("checkov", "CKV_AWS_18", "log bucket"),
    }


def test_encryption_flags_the_unencrypted_topic():
    statuses = {status.resource: status.encryption for status in facts.encryption_statuses(TEMPLATE)}

    assert statuses == {
        "B": "SSE-S3 (S3 default)",
        "T": "NOT ENCRYPTED",
        "Q": "KMS with ${K}",
        "L": "CloudWatch Logs default",
    }
