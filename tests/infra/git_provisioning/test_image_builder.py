"""The custom image builder: a locked-down ECR repository and a severity-gated, notified build."""

import json

from aws_cdk.assertions import Match

from mlops_config import load_config
from tests.infra.git_provisioning.conftest import EXAMPLE

SETTINGS = load_config(EXAMPLE).image_builder
assert SETTINGS is not None


def repository(git_app):
    (found,) = git_app.resources("AWS::ECR::Repository").values()
    return found["Properties"]


def builder(git_app):
    (found,) = [
        p for p in git_app.resources("AWS::CodeBuild::Project").values() if "docker build" in json.dumps(p)
    ]
    return found["Properties"]


def test_the_repository_is_kms_encrypted_scanned_on_push_and_immutable(git_app):
    properties = repository(git_app)

    assert properties["EncryptionConfiguration"]["EncryptionType"] == "KMS"
    assert properties["EncryptionConfiguration"]["KmsKey"]
    assert properties["ImageScanningConfiguration"] == {"ScanOnPush": True}
    assert properties["ImageTagMutability"] == "IMMUTABLE"


def test_the_repository_keeps_the_configured_number_of_images(git_app):
    rules = json.loads(repository(git_app)["LifecyclePolicy"]["LifecyclePolicyText"])["rules"]

    kept = [r for r in rules if r["selection"]["countType"] == "imageCountMoreThan"]
    assert [r["selection"]["countNumber"] for r in kept] == [SETTINGS.keep_images]
    assert any(r["selection"]["tagStatus"] == "untagged" for r in rules)


def test_only_the_image_build_is_privileged(git_app):
    privileged = [
        p
        for p in git_app.resources("AWS::CodeBuild::Project").values()
        if p["Properties"]["Environment"].get("PrivilegedMode")
    ]

    assert len(privileged) == 1
    assert "docker build" in json.dumps(privileged[0])


def test_the_build_fails_on_findings_at_or_above_the_configured_severity(git_app):
    variables = {v["Name"]: v["Value"] for v in builder(git_app)["Environment"]["EnvironmentVariables"]}
    spec = json.dumps(builder(git_app)["Source"]["BuildSpec"])

    assert variables["MLOPS_FAIL_ON_SEVERITY"] == SETTINGS.fail_on_severity.value
    assert variables["MLOPS_BLOCKING_SEVERITIES"].split() == [
        s.value for s in SETTINGS.fail_on_severity.and_above()
    ]
    assert "describe-image-scan-findings" in spec and "batch-delete-image" in spec


def test_a_context_arriving_in_the_registry_starts_a_build(git_app):
    git_app.tooling.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": Match.object_like(
                {
                    "detail-type": ["Object Created"],
                    "detail": Match.object_like(
                        {"object": {"key": [{"wildcard": "images/*/*/context.tar.gz"}]}}
                    ),
                }
            ),
            "Targets": [
                Match.object_like(
                    {
                        "InputTransformer": {
                            "InputPathsMap": {"detail-object-key": "$.detail.object.key"},
                            "InputTemplate": Match.string_like_regexp("MLOPS_CONTEXT_KEY"),
                        }
                    }
                )
            ],
        },
    )


def test_every_finished_build_is_notified_on_the_topic(git_app):
    git_app.tooling.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": Match.object_like(
                {
                    "detail-type": ["CodeBuild Build State Change"],
                    "detail": Match.object_like({"build-status": ["SUCCEEDED", "FAILED", "STOPPED"]}),
                }
            ),
            "Targets": [Match.object_like({"Arn": {"Ref": Match.string_like_regexp("NotificationsTopic")}})],
        },
    )


def test_the_repository_account_is_allowed_as_image_uri_by_registration(git_app):
    (register,) = [
        f
        for f in git_app.resources("AWS::Lambda::Function").values()
        if f["Properties"].get("Description", "").startswith("Validates an uploaded model")
    ]
    accounts = json.dumps(register["Properties"]["Environment"]["Variables"])

    assert "AWS::AccountId" in accounts


def test_local_stage_sagemaker_roles_may_pull_from_the_repository(git_app):
    (logical_id,) = git_app.resources("AWS::ECR::Repository")
    pulls = [
        policy
        for policy in git_app.resources("AWS::IAM::Policy").values()
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if "ecr:BatchGetImage" in json.dumps(s["Action"]) and logical_id in json.dumps(s["Resource"])
    ]

    assert len(pulls) >= 3  # the builder itself and the SageMaker role of each of the two stages
