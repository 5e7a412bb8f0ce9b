"""Least privilege of the deployment roles: who may assume them, and what each stage's roles may touch."""

import json

import pytest

from tests.infra.iam_helpers import as_list, granting, resources_of, role_statements, text, trust_statements

STAGES = {"Staging": "staging", "Production": "production"}


@pytest.fixture(scope="module")
def tooling(synthesized_app):
    (path,) = [p for p in synthesized_app.template_files() if p.name.endswith("-Tooling.template.json")]
    return json.loads(path.read_text())


def pipeline_role_id(tooling):
    (role,) = [k for k in resources_of(tooling, "AWS::IAM::Role") if k.startswith("DeploymentPipelineRole")]
    return role


def test_no_role_in_the_app_trusts_an_account_root(synthesized_app):
    for path in synthesized_app.template_files():
        for logical_id, role in resources_of(json.loads(path.read_text()), "AWS::IAM::Role").items():
            trust = text(role["Properties"]["AssumeRolePolicyDocument"])
            assert ":root" not in trust, (path.name, logical_id)


@pytest.mark.parametrize("stage", STAGES)
def test_deploy_roles_are_trusted_only_by_the_pipelines_service_role(tooling, stage):
    (statement,) = trust_statements(tooling, f"Deployment{stage}RolesDeploy")
    assert statement["Principal"] == {"AWS": {"Fn::GetAtt": [pipeline_role_id(tooling), "Arn"]}}


def test_every_pipeline_action_runs_with_an_explicit_role(tooling):
    for name, pipeline in resources_of(tooling, "AWS::CodePipeline::Pipeline").items():
        for stage in pipeline["Properties"]["Stages"]:
            for action in stage["Actions"]:
                assert "RoleArn" in action, (name, stage["Name"], action["Name"])


def test_action_roles_are_trusted_only_by_the_pipelines_service_role(tooling):
    action_roles = {
        action["RoleArn"]["Fn::GetAtt"][0]
        for pipeline in resources_of(tooling, "AWS::CodePipeline::Pipeline").values()
        for stage in pipeline["Properties"]["Stages"]
        for action in stage["Actions"]
    }
    assert len(action_roles) >= 5  # three pipelines' action roles and two stages' deploy roles
    for role in action_roles:
        (statement,) = trust_statements(tooling, role)
        assert statement["Principal"] == {"AWS": {"Fn::GetAtt": [pipeline_role_id(tooling), "Arn"]}}, role


@pytest.mark.parametrize(("stage", "other"), [("Staging", "production"), ("Production", "staging")])
def test_deploy_role_manages_only_its_stage_endpoint_stacks(tooling, stage, other):
    statements = granting(
        role_statements(tooling, f"Deployment{stage}RolesDeploy"), "cloudformation:UpdateStack"
    )
    stacks = [text(resource) for s in statements for resource in as_list(s["Resource"])]
    assert stacks and all(f':stack/mlops-*-{STAGES[stage]}/*"' in stack for stack in stacks), stacks
    assert not [stack for stack in stacks if other in stack]


@pytest.mark.parametrize(("stage", "other"), [("Staging", "production"), ("Production", "staging")])
def test_cloudformation_role_updates_only_its_stage_endpoints(tooling, stage, other):
    (update,) = granting(
        role_statements(tooling, f"Deployment{stage}RolesCloudFormation"), "sagemaker:UpdateEndpoint"
    )
    endpoints = [text(r) for r in as_list(update["Resource"]) if ":endpoint/" in text(r)]
    assert endpoints and all(e.endswith(f':endpoint/*-{STAGES[stage]}"]]}}') for e in endpoints), endpoints
    assert update["Condition"] == {"StringEquals": {"aws:ResourceTag/mlops:StageName": STAGES[stage]}}


@pytest.mark.parametrize("stage", STAGES)
def test_cloudformation_role_creates_sagemaker_resources_only_tagged_for_its_stage(tooling, stage):
    (create,) = granting(
        role_statements(tooling, f"Deployment{stage}RolesCloudFormation"), "sagemaker:CreateModel"
    )
    assert "sagemaker:CreateEndpointConfig" in create["Action"]
    assert create["Condition"] == {"StringEquals": {"aws:RequestTag/mlops:StageName": STAGES[stage]}}


@pytest.mark.parametrize("stage", STAGES)
def test_cloudformation_role_deletes_models_only_of_its_stage(tooling, stage):
    (delete,) = granting(
        role_statements(tooling, f"Deployment{stage}RolesCloudFormation"), "sagemaker:DeleteModel"
    )
    assert delete["Condition"] == {"StringEquals": {"aws:ResourceTag/mlops:StageName": STAGES[stage]}}


@pytest.mark.parametrize("stage", STAGES)
def test_cloudformation_role_alarms_are_those_of_its_stage_stacks(tooling, stage):
    (alarms,) = granting(
        role_statements(tooling, f"Deployment{stage}RolesCloudFormation"), "cloudwatch:PutMetricAlarm"
    )
    assert text(alarms["Resource"]).endswith(f':alarm:mlops-*-{STAGES[stage]}-*"]]}}')


def _object_patterns(statements, action, bucket_prefix, tooling):
    (bucket,) = [k for k in resources_of(tooling, "AWS::S3::Bucket") if k.startswith(bucket_prefix)]
    patterns = set()
    for statement in granting(statements, action):
        for resource in as_list(statement["Resource"]):
            parts = resource.get("Fn::Join", ["", []])[1] if isinstance(resource, dict) else []
            if parts and parts[0] == {"Fn::GetAtt": [bucket, "Arn"]}:
                patterns.add(parts[1])
    return patterns


def boundary_statements(tooling, stage):
    """The statements of the stage's ceiling for per-model roles (their permissions boundary)."""
    (boundary,) = [
        r
        for k, r in resources_of(tooling, "AWS::IAM::ManagedPolicy").items()
        if k.startswith(f"Deployment{stage}RolesModelRoleBoundary")
    ]
    return boundary["Properties"]["PolicyDocument"]["Statement"]


@pytest.mark.parametrize("stage", STAGES)
def test_model_role_boundary_writes_only_its_stage_capture_and_async_answers(tooling, stage):
    name = STAGES[stage]
    writes = _object_patterns(
        boundary_statements(tooling, stage), "s3:PutObject", "RegistryDataCapture", tooling
    )
    assert writes == {f"/capture/*-{name}/*", f"/async-output/{name}/*"}


@pytest.mark.parametrize("stage", STAGES)
def test_model_role_boundary_reads_only_registered_artifacts_from_the_registry(tooling, stage):
    statements = boundary_statements(tooling, stage)
    assert _object_patterns(statements, "s3:GetObject", "RegistryModelRegistry", tooling) == {
        "/artifacts/sha256/*"
    }


@pytest.mark.parametrize("stage", STAGES)
def test_stage_sagemaker_role_writes_no_capture(tooling, stage):
    statements = role_statements(tooling, f"Deployment{stage}RolesSageMakerExecution")
    assert _object_patterns(statements, "s3:PutObject", "RegistryDataCapture", tooling) == set()


def test_no_stage_sagemaker_role_reads_artifacts_batch_transform_has_a_role_of_its_own(tooling):
    reads = {
        stage: _object_patterns(
            role_statements(tooling, f"Deployment{stage}RolesSageMakerExecution"),
            "s3:GetObject",
            "RegistryModelRegistry",
            tooling,
        )
        for stage in STAGES
    }
    assert reads == {"Staging": set(), "Production": set()}


@pytest.mark.parametrize("stage", STAGES)
def test_sagemaker_role_pulls_images_only_from_the_regions_image_accounts(tooling, stage):
    (pull,) = granting(
        role_statements(tooling, f"Deployment{stage}RolesSageMakerExecution"), "ecr:BatchGetImage"
    )
    accounts = pull["Condition"]["StringEquals"]["aws:ResourceAccount"]
    mapping, region, key = accounts["Fn::FindInMap"]
    assert region == {"Ref": "AWS::Region"}
    # AWS's Deep Learning Containers account in us-east-1 (AWS DLC documentation), and no wildcard.
    assert "763104351884" in tooling["Mappings"][mapping]["us-east-1"][key]
    assert "*" not in text(tooling["Mappings"][mapping])


@pytest.mark.parametrize("stage", STAGES)
def test_sagemaker_role_is_assumable_only_for_this_accounts_sagemaker_resources(tooling, stage):
    (statement,) = trust_statements(tooling, f"Deployment{stage}RolesSageMakerExecution")
    source = text(statement["Condition"]["ArnLike"]["aws:SourceArn"])
    assert ':sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":*"' in source


def test_drift_processing_role_is_assumable_only_for_processing_jobs(tooling):
    (statement,) = trust_statements(tooling, "DriftProcessingRole")
    assert text(statement["Condition"]["ArnLike"]["aws:SourceArn"]).endswith(':processing-job/*"]]}')


def test_drift_scheduler_role_is_assumable_only_by_the_stages_schedule_groups(tooling):
    (statement,) = trust_statements(tooling, "DriftSchedulerRole")
    condition = statement["Condition"]["StringEquals"]
    assert condition["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    groups = {
        logical for logical, r in tooling["Resources"].items() if r["Type"] == "AWS::Scheduler::ScheduleGroup"
    }
    assert {arn["Fn::GetAtt"][0] for arn in condition["aws:SourceArn"]} == groups
    assert {g.removeprefix("Drift").split("Schedules")[0] for g in groups} == {"Staging", "Production"}


@pytest.mark.parametrize(("stage", "other"), [("Staging", "Production"), ("Production", "Staging")])
def test_a_stages_cloudformation_role_schedules_only_in_its_own_group(tooling, stage, other):
    statements = role_statements(tooling, f"Deployment{stage}RolesCloudFormationExecution")
    (schedules,) = granting(statements, "scheduler:CreateSchedule")
    resource = text(schedules["Resource"])
    assert f"Drift{stage}Schedules" in resource and resource.endswith('/*"]]}')
    assert f"Drift{other}Schedules" not in resource


def test_registry_approval_may_read_and_annotate_model_packages_and_notify(tooling):
    statements = role_statements(tooling, "RegistryApprovalFunctionRole")
    (packages,) = granting(statements, "sagemaker:UpdateModelPackage")
    assert "sagemaker:DescribeModelPackage" in packages["Action"]
    assert text(packages["Resource"]).endswith(':model-package/*/*"]]}')
    (function,) = [
        r
        for k, r in resources_of(tooling, "AWS::Lambda::Function").items()
        if k.startswith("RegistryApproval")
    ]
    assert "NOTIFICATION_TOPIC_ARN" in function["Properties"]["Environment"]["Variables"]
    assert granting(statements, "sns:Publish")


@pytest.mark.parametrize("stage", STAGES)
def test_cloudformation_role_scales_only_sagemaker_variants(tooling, stage):
    statements = role_statements(tooling, f"Deployment{stage}RolesCloudFormation")
    (register,) = granting(statements, "application-autoscaling:RegisterScalableTarget")
    assert register["Condition"] == {
        "StringEquals": {
            "application-autoscaling:service-namespace": "sagemaker",
            "application-autoscaling:scalable-dimension": "sagemaker:variant:DesiredInstanceCount",
        }
    }
    assert "application-autoscaling:PutScalingPolicy" in register["Action"]


@pytest.mark.parametrize(("stage", "other"), [("Staging", "production"), ("Production", "staging")])
def test_cloudformation_role_cannot_touch_another_stages_scalable_targets(tooling, stage, other):
    statements = role_statements(tooling, f"Deployment{stage}RolesCloudFormation")
    denies = [s for s in statements if s["Effect"] == "Deny" and "Null" in s.get("Condition", {})]
    by_key = {next(iter(s["Condition"]["Null"])): s for s in denies}
    existing, requested = by_key["aws:ResourceTag/mlops:StageName"], by_key["aws:RequestTag/mlops:StageName"]
    # A target tagged for the other stage: every write and retagging is denied
    assert existing["Condition"]["StringNotEquals"] == {"aws:ResourceTag/mlops:StageName": STAGES[stage]}
    assert {
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeregisterScalableTarget",
    } <= set(existing["Action"])
    assert "application-autoscaling:TagResource" in existing["Action"]
    # Registering or tagging a target for the other stage is denied too
    assert requested["Condition"]["StringNotEquals"] == {"aws:RequestTag/mlops:StageName": STAGES[stage]}
    assert set(requested["Action"]) == {
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:TagResource",
    }
    assert other not in json.dumps(denies)
