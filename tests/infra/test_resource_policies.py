"""Resource policies: confused-deputy conditions on service grants, encryption enforced, keys via services."""

import json

import pytest

from tests.infra.iam_helpers import as_list, resources_of, role_statements, text

RESOURCE_POLICIES = {
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::Events::EventBusPolicy": "Statement",
    "AWS::KMS::Key": "KeyPolicy",
}
CONFUSED_DEPUTY_KEYS = {"aws:SourceArn", "aws:SourceAccount"}
# CloudWatch Logs' documented key grant binds the service to this account's log groups through the
# encryption context instead (encrypt-log-data-kms in the CloudWatch Logs user guide).
LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn"


def service_grants(synthesized_app):
    for path in synthesized_app.template_files():
        template = json.loads(path.read_text())
        for kind, field in RESOURCE_POLICIES.items():
            for logical_id, resource in resources_of(template, kind).items():
                document = resource["Properties"].get(field) or {}
                for statement in as_list(document.get("Statement", document)):
                    principal = statement.get("Principal")
                    if (
                        statement.get("Effect") == "Allow"
                        and isinstance(principal, dict)
                        and "Service" in principal
                    ):
                        yield f"{path.name}/{logical_id}", statement


def condition_keys(statement):
    return {key for block in (statement.get("Condition") or {}).values() for key in block}


@pytest.fixture(scope="module")
def tooling(synthesized_app):
    (path,) = [p for p in synthesized_app.template_files() if p.name.endswith("-Tooling.template.json")]
    return json.loads(path.read_text())


def test_every_service_grant_in_a_resource_policy_names_its_source(synthesized_app):
    grants = list(service_grants(synthesized_app))
    assert len(grants) >= 5  # queues, key, access-log bucket: the check really saw service grants
    unbound = [
        (where, s["Principal"])
        for where, s in grants
        if not condition_keys(s) & {*CONFUSED_DEPUTY_KEYS, LOGS_CONTEXT}
    ]
    assert not unbound


def test_every_lambda_permission_for_a_service_names_its_source(synthesized_app):
    for path in synthesized_app.template_files():
        for logical_id, permission in resources_of(
            json.loads(path.read_text()), "AWS::Lambda::Permission"
        ).items():
            properties = permission["Properties"]
            if str(properties["Principal"]).endswith(".amazonaws.com"):
                assert "SourceArn" in properties or "SourceAccount" in properties, (path.name, logical_id)


def test_log_delivery_key_grant_is_limited_to_this_accounts_logs(tooling):
    (key,) = resources_of(tooling, "AWS::KMS::Key").values()
    (statement,) = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    ]
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert text(statement["Condition"]["ArnLike"]["aws:SourceArn"]).endswith(
        ':logs:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":*"]]}'
    )


def _deny_puts(policy):
    return {
        json.dumps(s["Condition"], sort_keys=True): s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny" and s["Action"] == "s3:PutObject"
    }


def _data_buckets(tooling):
    """Policies of the KMS-encrypted buckets (all but the access-log bucket, which S3 logging writes)."""
    return {
        k: p
        for k, p in resources_of(tooling, "AWS::S3::BucketPolicy").items()
        if not k.startswith("RegistryAccessLogs")
    }


def test_data_buckets_refuse_puts_asking_for_another_encryption(tooling):
    policies = _data_buckets(tooling)
    assert len(policies) == 5  # registry, capture, reports, pipeline artifacts, upload trail files
    for name, policy in policies.items():
        expected = {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}}
        assert json.dumps(expected, sort_keys=True) in _deny_puts(policy), name


def test_data_buckets_refuse_puts_naming_another_key(tooling):
    (key,) = resources_of(tooling, "AWS::KMS::Key")
    for name, policy in _data_buckets(tooling).items():
        other_key = {
            "ArnNotEqualsIfExists": {
                "s3:x-amz-server-side-encryption-aws-kms-key-id": {"Fn::GetAtt": [key, "Arn"]}
            }
        }
        assert json.dumps(other_key, sort_keys=True) in _deny_puts(policy), name


def test_data_buckets_refuse_sse_kms_with_the_aws_managed_key(tooling):
    for name, policy in _data_buckets(tooling).items():
        managed = {
            "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "true"},
            "StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
        }
        assert json.dumps(managed, sort_keys=True) in _deny_puts(policy), name


@pytest.mark.parametrize(
    "role",
    [
        "DeploymentStagingRolesSageMakerExecution",
        "DeploymentProductionRolesDeploy",
        "DeploymentStagingRolesCloudFormationExecution",
        "DriftProcessingRole",
    ],
)
def test_stage_and_processing_roles_use_the_key_only_through_services(tooling, role):
    kms = [
        s for s in role_statements(tooling, role) if any(a.startswith("kms:") for a in as_list(s["Action"]))
    ]
    assert kms
    for statement in kms:
        if "kms:CreateGrant" in as_list(statement["Action"]) and "Bool" in statement.get("Condition", {}):
            continue  # Model Monitor's grant for AWS resources (kms:GrantIsForAWSResource)
        services = statement["Condition"]["StringEquals"]["kms:ViaService"]
        assert services and all(".amazonaws.com" in text(s) for s in services), statement
