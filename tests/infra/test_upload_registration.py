"""Upload registration (tooling stack): rule, function, retries, dead letters, alarms and least privilege."""

import json

import pytest
from aws_cdk.assertions import Match

from lambdas.register import settings
from lambdas.register.version_claim import STALE_AFTER_SECONDS

REGISTRY_BUCKET = "RegistryModelRegistryBucket9E0BB17D"


@pytest.fixture(scope="module")
def register_function(tooling_template):
    functions = tooling_template.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Handler": "lambdas.register.handler.lambda_handler"}}
    )
    assert len(functions) == 1
    return next(iter(functions.items()))


@pytest.fixture(scope="module")
def register_policy(tooling_template, register_function):
    role = register_function[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    (policy,) = tooling_template.find_resources(
        "AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role}]}}
    ).values()
    return policy["Properties"]["PolicyDocument"]["Statement"]


def test_rule_matches_manifest_uploads_in_the_registry_bucket(tooling_template):
    tooling_template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": {
                "source": ["aws.s3"],
                "detail-type": ["Object Created"],
                "detail": {
                    "bucket": {"name": [{"Ref": REGISTRY_BUCKET}]},
                    "object": {"key": [{"wildcard": "models/*/*/manifest.json"}]},
                },
            }
        },
    )


def test_rule_target_retries_and_has_an_encrypted_dead_letter_queue(tooling_template, register_function):
    logical_id, _ = register_function
    tooling_template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "Targets": [
                Match.object_like(
                    {
                        "Arn": {"Fn::GetAtt": [logical_id, "Arn"]},
                        "RetryPolicy": {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 21600},
                        "DeadLetterConfig": {"Arn": Match.any_value()},
                    }
                )
            ]
        },
    )
    for queue in tooling_template.find_resources("AWS::SQS::Queue").values():
        assert "KmsMasterKeyId" in queue["Properties"]


def test_function_is_arm64_python_314_with_its_settings(register_function):
    properties = register_function[1]["Properties"]
    assert properties["Runtime"] == "python3.14"
    assert properties["Architectures"] == ["arm64"]
    assert properties["TracingConfig"] == {"Mode": "Active"}
    variables = properties["Environment"]["Variables"]
    required = {
        settings.ENV_REGISTRY_BUCKET,
        settings.ENV_TOPIC_ARN,
        settings.ENV_EVENT_BUS_NAME,
        settings.ENV_IDEMPOTENCY_TABLE,
        settings.ENV_MAX_ARTIFACT_BYTES,
        settings.ENV_MAX_UNCOMPRESSED_BYTES,
    }
    assert required <= set(variables)
    assert variables[settings.ENV_MAX_ARTIFACT_BYTES] == str(5120 * 1024 * 1024)
    assert variables[settings.ENV_REGISTRY_BUCKET] == {"Ref": REGISTRY_BUCKET}


def test_errors_and_dead_letters_raise_alarms_on_the_topic(tooling_template):
    alarms = tooling_template.find_resources("AWS::CloudWatch::Alarm")
    metrics = {alarm["Properties"]["MetricName"] for alarm in alarms.values()}
    assert {"Errors", "ApproximateNumberOfMessagesVisible"} <= metrics
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"], alarm


def test_policy_has_no_service_wide_or_star_actions(register_policy):
    actions = [a for statement in register_policy for a in _as_list(statement["Action"])]
    assert not [a for a in actions if a == "*" or a.endswith(":*")]


def test_uploads_are_never_written_only_reports_and_registered_objects_are(register_policy):
    writes = [
        statement
        for statement in register_policy
        if set(_as_list(statement["Action"])) & {"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"}
    ]
    assert len(writes) == 1
    assert sorted(_as_list(writes[0]["Action"])) == ["s3:AbortMultipartUpload", "s3:PutObject"]
    suffixes = sorted(json.dumps(resource).rsplit('"', 2)[-2] for resource in _as_list(writes[0]["Resource"]))
    assert suffixes == [
        "/artifacts/sha256/*",
        "/baselines/*",
        "/registrations/*",
        "/rejected/*",
        "/uploaders/*",
    ]


def test_idempotency_table_is_encrypted_with_ttl_and_pitr(tooling_template):
    tooling_template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "TimeToLiveSpecification": {"AttributeName": "expiration", "Enabled": True},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": Match.object_like({"SSEEnabled": True, "SSEType": "KMS"}),
        },
    )


def test_layers_have_no_runtime_provided_sdk(synthesized_app):
    layer_dirs = [p for p in synthesized_app.outdir.glob("asset.*") if (p / "python").is_dir()]
    installed = [{p.name for p in (layer / "python").iterdir()} for layer in layer_dirs]
    assert len(installed) == 2  # the shared dependencies and the register function's Parquet layer
    assert any({"aws_lambda_powertools", "pydantic", "numpy"} <= names for names in installed)
    assert any("pyarrow" in names and "numpy" not in names for names in installed)
    assert not any(names & {"boto3", "botocore"} for names in installed)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_function_code_holds_its_packages_with_repository_paths(synthesized_app, register_function):
    asset_hash = register_function[1]["Properties"]["Code"]["S3Key"].removesuffix(".zip")
    code = synthesized_app.outdir / f"asset.{asset_hash}"
    for path in (
        "lambdas/__init__.py",
        "lambdas/register/handler.py",
        "lambdas/common/events.py",
        "mlops_manifest/images.json",
    ):
        assert (code / path).is_file(), path
    assert not list(code.rglob("__pycache__"))


def test_a_version_claim_outlives_any_registration_that_could_still_hold_it(register_function):
    # A claim is abandoned only when its owner can no longer be running (lambdas/register/version_claim.py).
    _, function = register_function
    assert function["Properties"]["Timeout"] < STALE_AFTER_SECONDS


def _registry_bucket_statements(tooling_template) -> list[dict]:
    (policy,) = tooling_template.find_resources(
        "AWS::S3::BucketPolicy", {"Properties": {"Bucket": {"Ref": REGISTRY_BUCKET}}}
    ).values()
    return policy["Properties"]["PolicyDocument"]["Statement"]


def _sealed_resources(statement) -> set[str]:
    return {resource["Fn::Join"][1][1] for resource in statement["Resource"]}


def test_only_the_register_role_may_write_registered_objects(tooling_template, register_function):
    role = register_function[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    [deny] = [
        s
        for s in _registry_bucket_statements(tooling_template)
        if s["Effect"] == "Deny" and s["Action"] == "s3:PutObject" and "aws:PrincipalArn" in json.dumps(s)
    ]
    assert deny["Principal"] == {"AWS": "*"}
    assert deny["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": {"Fn::GetAtt": [role, "Arn"]}}}
    assert _sealed_resources(deny) == {
        "/artifacts/sha256/*",
        "/registrations/*",
        "/baselines/*",
        "/uploaders/*",
    }


def test_nobody_may_delete_registered_objects(tooling_template):
    [deny] = [
        s
        for s in _registry_bucket_statements(tooling_template)
        if s["Effect"] == "Deny" and "s3:DeleteObjectVersion" in s["Action"]
    ]
    assert deny["Principal"] == {"AWS": "*"}
    assert set(deny["Action"]) == {"s3:DeleteObject", "s3:DeleteObjectVersion"}
    assert "Condition" not in deny
    assert _sealed_resources(deny) == {
        "/artifacts/sha256/*",
        "/registrations/*",
        "/baselines/*",
        "/uploaders/*",
    }
