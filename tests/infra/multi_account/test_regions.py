"""A stage in a second region: its artifact store, its regional copies, its actions and events."""

import json
import re

PROJECT = "MlopsOrchestrator"
REGIONAL = f"{PROJECT}-PipelineArtifacts-us-east-1"
US_STAGE = f"{PROJECT}-Stage-222222222222-us-east-1"
TOOLING = f"{PROJECT}-Tooling"


def _of_type(template, kind):
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def _staging_us_actions(pipeline):
    (stage,) = [s for s in pipeline["Properties"]["Stages"] if s["Name"] == "Staging-us"]
    return {action["Name"]: action for action in stage["Actions"]}


def test_the_regional_stack_holds_a_rotating_key_and_a_logged_bucket_encrypted_with_it(multi_account_app):
    template = multi_account_app.template(REGIONAL)
    (key,) = _of_type(template, "AWS::KMS::Key").values()
    (alias,) = _of_type(template, "AWS::KMS::Alias").values()
    buckets = _of_type(template, "AWS::S3::Bucket")
    (artifacts,) = [b for k, b in buckets.items() if "Artifacts" in k and "AccessLogs" not in k]

    assert key["Properties"]["EnableKeyRotation"] is True
    assert alias["Properties"]["AliasName"] == f"alias/{PROJECT}/pipeline-artifacts"
    (rule,) = artifacts["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert "LoggingConfiguration" in artifacts["Properties"]
    assert {r["Type"] for r in template["Resources"].values()} <= {
        "AWS::KMS::Key", "AWS::KMS::Alias", "AWS::S3::Bucket", "AWS::S3::BucketPolicy",
    }  # fmt: skip


def test_the_pipelines_use_the_regional_store_for_the_stage_there_and_no_cdk_support_stack(multi_account_app):
    regional = multi_account_app.template(REGIONAL)
    (bucket,) = [b for k, b in _of_type(regional, "AWS::S3::Bucket").items() if "AccessLogs" not in k]
    name = bucket["Properties"]["BucketName"]
    pipelines = _of_type(multi_account_app.template(TOOLING), "AWS::CodePipeline::Pipeline").values()

    for pipeline in pipelines:
        stores = {s["Region"]: s["ArtifactStore"] for s in pipeline["Properties"]["ArtifactStores"]}
        assert set(stores) == {"eu-west-1", "us-east-1"}
        assert stores["us-east-1"]["Location"] == name
        alias_arn = f"arn:aws:kms:us-east-1:111111111111:alias/{PROJECT}/pipeline-artifacts"
        assert stores["us-east-1"]["EncryptionKey"] == {"Id": alias_arn, "Type": "KMS"}
        actions = _staging_us_actions(pipeline)
        assert {n: a.get("Region") for n, a in actions.items()} == {
            "Resolve": None, "CopyArtifact": "us-east-1", "Deploy": "us-east-1", "SmokeTest": "us-east-1",
        }  # fmt: skip
    assert not [stack for stack in multi_account_app.environments if "support" in stack.lower()]


def test_the_blueprint_of_the_stage_there_gets_the_regional_copy_and_image(multi_account_app):
    for pipeline in _of_type(multi_account_app.template(TOOLING), "AWS::CodePipeline::Pipeline").values():
        deploy = _staging_us_actions(pipeline)["Deploy"]
        overrides = json.dumps(deploy["Configuration"]["ParameterOverrides"])
        assert "CopyArtifactStaging-us.ModelDataUrl" in overrides
        assert "ResolveStaging-us.ModelDataUrl" not in overrides
        (other,) = [s for s in pipeline["Properties"]["Stages"] if s["Name"] == "Staging"]
        same_region = json.dumps(other)
        assert "ResolveStaging.ModelDataUrl" in same_region and "CopyArtifact" not in same_region


def test_the_copies_are_written_once_by_the_copy_function_under_the_stage_key_and_never_deleted(
    multi_account_app,
):
    template = multi_account_app.template(US_STAGE)
    (copies_id,) = [
        k for k in _of_type(template, "AWS::S3::Bucket") if k.startswith("RegionalArtifactsCopies")
    ]
    encryption = template["Resources"][copies_id]["Properties"]["BucketEncryption"]
    (rule,) = encryption["ServerSideEncryptionConfiguration"]
    (stage_key,) = _of_type(template, "AWS::KMS::Key")
    assert rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == {"Fn::GetAtt": [stage_key, "Arn"]}
    (policy,) = [
        p for p in _of_type(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": copies_id}
    ]  # fmt: skip
    denies = {
        s.get("Sid"): s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"
    }

    (copy_role,) = [
        k for k in _of_type(template, "AWS::IAM::Role") if k.startswith("RegionalArtifactsCopyRole")
    ]
    writer = denies["OnlyTheCopyFunctionWrites"]
    assert writer["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": {"Fn::GetAtt": [copy_role, "Arn"]}}}
    assert denies["CopiesAreWrittenOnce"]["Condition"]["Null"] == {"s3:if-none-match": "true"}
    assert sorted(denies["CopiesAreNeverDeleted"]["Action"]) == ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    assert all(s["Principal"] == {"AWS": "*"} for s in denies.values())


def test_the_stage_there_reads_artifacts_from_its_region_only(multi_account_app):
    template = multi_account_app.template(US_STAGE)
    # Its endpoints run as per-model roles capped by the stage's boundary: the ceiling names the copies.
    (boundary,) = [
        r for k, r in _of_type(template, "AWS::IAM::ManagedPolicy").items() if "ModelRoleBoundary" in k
    ]
    ceiling = json.dumps(boundary["Properties"]["PolicyDocument"])
    (role_id,) = [k for k in _of_type(template, "AWS::IAM::Role") if "SageMakerExecution" in k]
    policies = _of_type(template, "AWS::IAM::Policy").values()
    (policy,) = [p for p in policies if {"Ref": role_id} in p["Properties"]["Roles"]]

    assert "RegionalArtifactsCopiesBucket" in ceiling
    assert "arn:aws:s3:::*/artifacts/sha256/*" not in ceiling  # no read of the tooling registry's artifacts
    assert "eu-west-1" not in ceiling
    assert "artifacts/sha256" not in json.dumps(policy["Properties"]["PolicyDocument"])  # the jobs role


def test_events_of_the_stage_there_reach_the_tooling_bus_whose_policy_names_its_forwarding_role(
    multi_account_app,
):
    template = multi_account_app.template(US_STAGE)
    targets = [r["Properties"]["Targets"][0]["Arn"] for r in _of_type(template, "AWS::Events::Rule").values()]
    (role,) = [r for k, r in _of_type(template, "AWS::IAM::Role").items() if k.startswith("ForwardingRole")]
    bus_policies = _of_type(multi_account_app.template(TOOLING), "AWS::Events::EventBusPolicy").values()
    principals = {p["Properties"]["Statement"]["Principal"]["AWS"] for p in bus_policies}

    assert len(targets) == 4
    assert all(re.match(r"^arn:aws:events:eu-west-1:111111111111:event-bus/", arn) for arn in targets)
    assert f"arn:aws:iam::222222222222:role/{role['Properties']['RoleName']}" in principals


def test_no_stage_account_resource_is_in_a_tooling_account_template(multi_account_app):
    for stack, environment in multi_account_app.environments.items():
        if environment.startswith("aws://111111111111/"):
            handlers = [
                r["Properties"]["Handler"]
                for r in _of_type(multi_account_app.template(stack), "AWS::Lambda::Function").values()
            ]
            assert not [h for h in handlers if "regional_artifact" in h or "smoke_test" in h], stack
