"""Deployment pipelines (tooling stack): stage order, blueprint parameters, and least-privilege roles."""

import json
import re

import pytest

from lambdas.common.pipeline_variables import DEFAULTS, variables_for
from mlops_manifest.inference import InferenceType
from tests.unit.pipeline.details import registered_detail

TYPES = ("realtime", "serverless", "async")


@pytest.fixture(scope="module")
def tooling(synthesized_app):
    return json.loads(
        next(
            p for p in synthesized_app.template_files() if p.name.endswith("-Tooling.template.json")
        ).read_text()
    )


@pytest.fixture(scope="module")
def pipelines(tooling):
    found = {
        next(iter(deploy_actions(r["Properties"]).values()))["Configuration"]["TemplatePath"]: r["Properties"]
        for r in tooling["Resources"].values()
        if r["Type"] == "AWS::CodePipeline::Pipeline"
    }
    return {path.split("::")[1].split(".")[0]: props for path, props in found.items()}


def blueprint(synthesized_app, kind):
    (path,) = [
        p
        for p in synthesized_app.template_files()
        if p.name.endswith(f"-EndpointBlueprint-{kind}.template.json")
    ]
    return json.loads(path.read_text())


def actions_in_order(pipeline):
    return [
        (stage["Name"], action["Name"])
        for stage in pipeline["Stages"]
        for action in sorted(stage["Actions"], key=lambda a: a.get("RunOrder", 1))
    ]


def override_keys(action):
    """Keys of a CloudFormation action's ParameterOverrides (a JSON string, possibly with Fn::Join parts)."""
    overrides = action["Configuration"]["ParameterOverrides"]
    text = (
        overrides
        if isinstance(overrides, str)
        else "".join(p if isinstance(p, str) else "X" for p in overrides["Fn::Join"][1])
    )
    return set(json.loads(text)), json.loads(text)


def deploy_actions(pipeline):
    return {
        stage["Name"]: action
        for stage in pipeline["Stages"]
        for action in stage["Actions"]
        if action["ActionTypeId"]["Provider"] == "CloudFormation"
    }


def test_one_pipeline_per_endpoint_type(pipelines):
    assert set(pipelines) == set(TYPES)


@pytest.mark.parametrize("kind", TYPES)
def test_stage_order_staging_smoke_approval_production_finalize(pipelines, kind):
    order = actions_in_order(pipelines[kind])
    expected = [
        ("Staging", "Resolve"),
        ("Staging", "Deploy"),
        ("Staging", "SmokeTest"),
        ("Production", "Approve"),
        ("Production", "Resolve"),
        ("Production", "Deploy"),
        ("Production", "Finalize"),
    ]
    positions = [order.index(step) for step in expected]
    assert positions == sorted(positions), order
    assert order[0] == ("Source", "Blueprints")


@pytest.mark.parametrize("kind", TYPES)
def test_pipeline_is_v2_queued_and_never_polls(pipelines, kind):
    pipeline = pipelines[kind]
    assert (pipeline["PipelineType"], pipeline["ExecutionMode"]) == ("V2", "QUEUED")
    source = pipeline["Stages"][0]["Actions"][0]["Configuration"]
    assert source["PollForSourceChanges"] is False


@pytest.mark.parametrize("kind", TYPES)
def test_overrides_match_the_blueprint_parameters(synthesized_app, pipelines, kind):
    declared = blueprint(synthesized_app, kind)["Parameters"]
    required = {name for name, spec in declared.items() if "Default" not in spec}
    for stage, action in deploy_actions(pipelines[kind]).items():
        keys, _ = override_keys(action)
        assert keys <= set(declared), (stage, keys - set(declared))
        assert required <= keys, (stage, required - keys)


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_only_production_uses_the_manifest_rollout(pipelines, kind):
    deploys = deploy_actions(pipelines[kind])
    _, staging = override_keys(deploys["Staging"])
    _, production = override_keys(deploys["Production"])
    assert staging["DeploymentStrategy"] == "ALL_AT_ONCE"
    assert production["DeploymentStrategy"] == "#{variables.DeploymentStrategy}"


@pytest.mark.parametrize("kind", TYPES)
def test_model_values_come_from_pipeline_variables(pipelines, kind):
    declared = {v["Name"] for v in pipelines[kind]["Variables"]}
    for action in deploy_actions(pipelines[kind]).values():
        _, overrides = override_keys(action)
        used = {m for value in overrides.values() for m in re.findall(r"#\{variables\.(\w+)\}", value)}
        assert used <= declared, used - declared


@pytest.mark.parametrize("kind", TYPES)
def test_no_execution_names_an_image_or_artifact(pipelines, kind):
    declared = {v["Name"] for v in pipelines[kind]["Variables"]}
    assert not declared & {"ImageUri", "ModelDataUrl", "ServingProgram"}
    assert not {name for name in declared if name.startswith("Container")}  # nor a container variable
    for stage in pipelines[kind]["Stages"][1:]:
        (resolve,) = [a for a in stage["Actions"] if a["Name"] == "Resolve"]
        (deploy,) = [a for a in stage["Actions"] if a["Name"] == "Deploy"]
        assert resolve["RunOrder"] < deploy["RunOrder"]
        assert resolve["ActionTypeId"]["Provider"] == "Lambda"
        namespace = resolve["Namespace"]
        assert namespace == f"Resolve{stage['Name']}"
        _, overrides = override_keys(deploy)
        assert overrides["ImageUri"] == f"#{{{namespace}.ImageUri}}"
        assert overrides["ModelDataUrl"] == f"#{{{namespace}.ModelDataUrl}}"
        assert overrides["ServingProgram"] == f"#{{{namespace}.ServingProgram}}"
        assert overrides["ContainerInferenceOutput"] == f"#{{{namespace}.ContainerInferenceOutput}}"
        assert overrides["ContainerModelName"] == f"#{{{namespace}.ContainerModelName}}"


def test_deploy_actions_run_cloudformation_with_the_stage_execution_role(tooling, pipelines):
    for pipeline in pipelines.values():
        for stage, action in deploy_actions(pipeline).items():
            role = action["Configuration"]["RoleArn"]["Fn::GetAtt"][0]
            assert role.startswith(f"Deployment{stage}RolesCloudFormationExecution"), (stage, role)


# What a resolve action outputs (CodePipeline substitutes these as text too).
RESOLVED = {
    "ImageUri": "1.dkr.ecr/x:1",
    "ModelDataUrl": f"s3://b/artifacts/sha256/{'0' * 64}/model.tar.gz",
    "ServingProgram": "inference.py",
    # Container variables: any value the manifest allows (no double quotes, no backslashes) stays JSON.
    "ContainerInferenceInput": "predicted_label, probability",
    "ContainerInferenceOutput": "a,b; {c}: 'd' #e [f] $g / h",
    "ContainerInferenceSupported": "predicted_label,probability,labels,probabilities",
    "ContainerDefaultAccept": "text/csv",
    "ContainerMaxContentLength": "20971520",
    "ContainerModelName": "WeightedEnsemble_L3",
    "ContainerLogLevel": "none",
}


def policies_of(tooling, role_prefix):
    return [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in tooling["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and r["Properties"]["Roles"][0]["Ref"].startswith(role_prefix)
    ]


def test_no_policy_in_the_app_allows_every_action(synthesized_app):
    for path in synthesized_app.template_files():
        for resource in json.loads(path.read_text())["Resources"].values():
            if resource["Type"] in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}:
                for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
                    actions = (
                        statement["Action"]
                        if isinstance(statement["Action"], list)
                        else [statement["Action"]]
                    )
                    assert not [a for a in actions if a == "*" or a.endswith(":*")], (path.name, actions)


@pytest.mark.parametrize("stage", ["Staging", "Production"])
def test_cloudformation_role_may_pass_only_its_stages_model_roles_and_the_scheduler_role(tooling, stage):
    (statements,) = policies_of(tooling, f"Deployment{stage}RolesCloudFormationExecution")
    passes = {
        (json.dumps(s["Resource"]), s["Condition"]["StringEquals"]["iam:PassedToService"])
        for s in statements
        if "iam:PassRole" in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }
    (scheduler,) = [
        k
        for k, r in tooling["Resources"].items()
        if k.startswith("DriftSchedulerRole") and r["Type"] == "AWS::IAM::Role"
    ]
    model_roles = ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}]
    model_roles.append(f":role/mlops/{stage.lower()}/*")
    assert passes == {
        (json.dumps({"Fn::Join": ["", model_roles]}), "sagemaker.amazonaws.com"),
        (json.dumps({"Fn::GetAtt": [scheduler, "Arn"]}), "scheduler.amazonaws.com"),
    }


@pytest.mark.parametrize("stage", ["Staging", "Production"])
def test_cloudformation_role_manages_only_blueprint_resource_types(tooling, stage):
    (statements,) = policies_of(tooling, f"Deployment{stage}RolesCloudFormationExecution")
    allowed = [
        a
        for s in statements
        if s["Effect"] == "Allow"
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    ]
    assert {a.split(":")[0] for a in allowed} == {
        "sagemaker",
        "cloudwatch",
        "application-autoscaling",
        "scheduler",
        "iam",
        "kms",
    }
    # The blueprint's own role (AWS::IAM::Role with an inline policy): no managed policy, no boundary removal.
    assert {a for a in allowed if a.startswith("iam:")} == {
        "iam:PassRole",
        "iam:CreateServiceLinkedRole",
        "iam:CreateRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:PutRolePermissionsBoundary",
    }


@pytest.mark.parametrize("kind", TYPES)
def test_overrides_stay_json_once_codepipeline_substitutes_the_variables(pipelines, kind):
    # CodePipeline substitutes #{variables.X} as plain text inside the JSON string: values must not break it.
    values = {**DEFAULTS[InferenceType(kind)], **variables_for(registered_detail(kind))}
    for action in deploy_actions(pipelines[kind]).values():
        overrides = action["Configuration"]["ParameterOverrides"]
        text = "".join(p if isinstance(p, str) else "X" for p in overrides["Fn::Join"][1])
        substituted = re.sub(r"#\{variables\.(\w+)\}", lambda m: values[m.group(1)], text)
        substituted = re.sub(r"#\{Resolve\w+\.(\w+)\}", lambda m: RESOLVED[m.group(1)], substituted)
        assert json.loads(substituted)


def test_batch_models_run_through_the_synchronous_transform_workflow(tooling):
    machines = [r for r in tooling["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"]
    assert len(machines) == 1
    assert "sagemaker:createTransformJob.sync" in json.dumps(machines[0]["Properties"]["DefinitionString"])


def test_registry_approval_answers_only_the_production_approve_actions(tooling):
    rules = [r["Properties"] for r in tooling["Resources"].values() if r["Type"] == "AWS::Events::Rule"]
    (rule,) = [
        r for r in rules if r["EventPattern"].get("detail-type") == ["SageMaker Model Package State Change"]
    ]
    assert rule["EventPattern"]["detail"] == {"ModelApprovalStatus": ["Approved", "Rejected"]}
    (statements,) = policies_of(tooling, "RegistryApprovalFunctionRole")
    (approve,) = [s for s in statements if s["Action"] == "codepipeline:PutApprovalResult"]
    targets = [json.dumps(resource) for resource in approve["Resource"]]
    assert len(targets) == 3
    assert all(target.endswith('/Production/Approve"]]}') for target in targets)


def _object_grants(statements, action):
    """(bucket logical id, key pattern) of each S3 object ARN granted `action`."""
    grants = set()
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        for resource in resources:
            if action in actions and isinstance(resource, dict) and "Fn::Join" in resource:
                bucket, pattern = resource["Fn::Join"][1]
                grants.add((bucket["Fn::GetAtt"][0], pattern))
    return grants


def _capture_bucket(tooling):
    (name,) = [
        k for k, r in tooling["Resources"].items() if r["Type"] == "AWS::S3::Bucket" and "DataCapture" in k
    ]
    return name


def test_smoke_test_submits_async_payloads_to_the_capture_bucket_and_reads_only_answers(tooling):
    (statements,) = policies_of(tooling, "DeploymentFunctionsSmokeTestRole")
    capture = _capture_bucket(tooling)
    assert _object_grants(statements, "s3:PutObject") == {(capture, "/async-input/*")}
    assert (capture, "/async-output/*") in _object_grants(statements, "s3:GetObject")
    invoke = [s for s in statements if "sagemaker:InvokeEndpointAsync" in s["Action"]]
    assert invoke and "sagemaker:InvokeEndpoint" in invoke[0]["Action"]
    (function,) = [
        r for k, r in tooling["Resources"].items() if k.startswith("DeploymentFunctionsSmokeTestFunction")
    ]
    assert function["Properties"]["Environment"]["Variables"]["ASYNC_INPUT_BUCKET"] == {"Ref": capture}


@pytest.mark.parametrize("stage", ["Staging", "Production"])
def test_endpoints_may_read_async_requests_from_the_capture_bucket(tooling, stage):
    (boundary,) = [
        r for k, r in tooling["Resources"].items() if k.startswith(f"Deployment{stage}RolesModelRoleBoundary")
    ]
    statements = boundary["Properties"]["PolicyDocument"]["Statement"]
    assert (_capture_bucket(tooling), "/async-input/*") in _object_grants(statements, "s3:GetObject")


def test_finalize_reads_action_executions_only_of_the_pipelines(tooling):
    pipelines = {k for k, r in tooling["Resources"].items() if r["Type"] == "AWS::CodePipeline::Pipeline"}
    reads = [r for k, r in tooling["Resources"].items() if "FinalizeReadsExecutions" in k]
    assert len(reads) == len(pipelines) == 3
    read_from = []
    for policy in reads:
        (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
        assert statement["Action"] == "codepipeline:ListActionExecutions"
        resource = json.dumps(statement["Resource"])
        read_from += [p for p in pipelines if f'"Ref": "{p}"' in resource]
        (role,) = policy["Properties"]["Roles"]
        assert role["Ref"].startswith("DeploymentFunctionsFinalizeRole")
    assert sorted(read_from) == sorted(pipelines)  # each policy names exactly its own pipeline


@pytest.mark.parametrize("kind", ["realtime", "async", "serverless"])
def test_the_production_approval_request_shows_the_champion_challenger_line(pipelines, kind):
    (approve,) = [
        action
        for stage in pipelines[kind]["Stages"]
        for action in stage["Actions"]
        if action["ActionTypeId"]["Category"] == "Approval"
    ]
    declared = {v["Name"] for v in pipelines[kind]["Variables"]}

    assert "Champion/challenger: #{variables.Comparison}" in approve["Configuration"]["CustomData"]
    assert "Comparison" in declared
