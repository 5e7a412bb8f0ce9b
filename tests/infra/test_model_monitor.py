"""Opt-in SageMaker Model Monitor: data-quality schedules in the blueprints only with the config flag."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from mlops_config import MonitoringSettings
from mlops_constructs.bucket_reads import LocalReads
from mlops_constructs.model_monitor_permissions import (
    grant_model_monitor_deployment,
    grant_model_monitor_jobs,
)
from mlops_contract.blueprint_parameters import parameter_names
from mlops_contract.pipeline import ENDPOINT_TYPES, template_file_name
from mlops_manifest.images import image_table
from stacks.blueprints import synthesize_blueprints
from stacks.orchestrator_app import feature_flags

JOB = "AWS::SageMaker::DataQualityJobDefinition"
SCHEDULE = "AWS::SageMaker::MonitoringSchedule"
INSTANCE_BACKED = ("realtime", "async")
ENDPOINT_NAME = {"Fn::GetAtt": ["Endpoint8024A810", "EndpointName"]}


@pytest.fixture(scope="module")
def monitored(tmp_path_factory, default_config):
    """The three blueprints with the flag on; synthesis raises on any unacknowledged compliance finding."""
    config = default_config.model_copy(
        update={"monitoring": MonitoringSettings(sagemaker_model_monitor=True)}
    )
    folder = synthesize_blueprints(config, tmp_path_factory.mktemp("monitored"), feature_flags())
    return {
        kind.value: json.loads((folder / template_file_name(kind)).read_text()) for kind in ENDPOINT_TYPES
    }


def the_one(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    (resource,) = [r for r in template["Resources"].values() if r["Type"] == resource_type]
    return dict(resource)


def logical_id(template: dict[str, Any], resource_type: str) -> str:
    (key,) = [str(k) for k, r in template["Resources"].items() if r["Type"] == resource_type]
    return key


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_instance_backed_blueprints_get_a_job_definition_and_a_schedule(monitored, kind):
    assert the_one(monitored[kind], JOB) and the_one(monitored[kind], SCHEDULE)


def test_serverless_blueprint_has_no_model_monitor(monitored):
    types = {r["Type"] for r in monitored["serverless"]["Resources"].values()}
    assert not types & {JOB, SCHEDULE}
    assert "ModelMonitorStatisticsKey" not in monitored["serverless"]["Parameters"]


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_both_resources_need_the_model_monitor_statistics_and_data_capture(monitored, kind):
    template = monitored[kind]
    conditions = {the_one(template, JOB)["Condition"], the_one(template, SCHEDULE)["Condition"]}
    (name,) = conditions
    assert template["Conditions"][name] == {
        "Fn::And": [{"Condition": "HasModelMonitorStatisticsKey"}, {"Condition": "DataCaptureEnabledIsTrue"}]
    }
    unset = template["Conditions"]["HasModelMonitorStatisticsKey"]["Fn::Not"][0]["Fn::Or"]
    assert {"Fn::Equals": [{"Ref": "ModelMonitorStatisticsKey"}, "none"]} in unset
    assert {"Fn::Equals": [{"Ref": "ModelMonitorStatisticsKey"}, ""]} in unset


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_baselines_come_from_the_registry_and_constraints_are_optional(monitored, kind):
    baseline = the_one(monitored[kind], JOB)["Properties"]["DataQualityBaselineConfig"]
    statistics = {
        "Fn::Join": ["", ["s3://", {"Ref": "BaselineBucketName"}, "/", {"Ref": "ModelMonitorStatisticsKey"}]]
    }
    constraints = {
        "Fn::Join": ["", ["s3://", {"Ref": "BaselineBucketName"}, "/", {"Ref": "ModelMonitorConstraintsKey"}]]
    }
    assert baseline["StatisticsResource"] == {"S3Uri": statistics}
    assert baseline["ConstraintsResource"] == {
        "Fn::If": ["HasModelMonitorConstraintsKey", {"S3Uri": constraints}, {"Ref": "AWS::NoValue"}]
    }


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_schedule_runs_the_job_definition_hourly_on_the_endpoint(monitored, kind):
    template = monitored[kind]
    schedule = the_one(template, SCHEDULE)["Properties"]
    config = schedule["MonitoringScheduleConfig"]
    job_arn = {"Fn::GetAtt": [logical_id(template, JOB), "JobDefinitionArn"]}
    assert config["MonitoringJobDefinitionName"] == {"Fn::Select": [1, {"Fn::Split": ["/", job_arn]}]}
    assert config["MonitoringType"] == "DataQuality"
    assert config["ScheduleConfig"] == {"ScheduleExpression": "cron(0 * ? * * *)"}
    assert schedule["MonitoringScheduleName"] == ENDPOINT_NAME == schedule["EndpointName"]


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_outputs_and_volume_are_kms_encrypted(monitored, kind):
    Template.from_json(monitored[kind]).has_resource_properties(
        JOB,
        {
            "DataQualityJobOutputConfig": Match.object_like({"KmsKeyId": {"Ref": "KmsKeyArn"}}),
            "JobResources": {"ClusterConfig": Match.object_like({"VolumeKmsKeyId": {"Ref": "KmsKeyArn"}})},
        },
    )


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_job_reads_captures_and_writes_reports_under_model_monitor(monitored, kind):
    job = the_one(monitored[kind], JOB)["Properties"]
    (output,) = job["DataQualityJobOutputConfig"]["MonitoringOutputs"]
    reports = ["s3://", {"Ref": "ReportsBucketName"}, "/model-monitor/", ENDPOINT_NAME, "/"]
    assert output["S3Output"]["S3Uri"] == {"Fn::Join": ["", reports]}
    assert job["DataQualityJobInput"]["EndpointInput"]["EndpointName"] == ENDPOINT_NAME


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_job_runs_network_isolated_as_the_stage_sagemaker_role(monitored, kind):
    job = the_one(monitored[kind], JOB)["Properties"]
    assert job["NetworkConfig"]["EnableNetworkIsolation"] is True
    assert job["RoleArn"] == {"Ref": "ExecutionRoleArn"}
    assert job["StoppingCondition"]["MaxRuntimeInSeconds"] <= 3600  # hourly schedules allow at most an hour


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_image_is_the_regional_model_monitor_analyzer_from_the_mapping(monitored, kind):
    template = monitored[kind]
    uri = the_one(template, JOB)["Properties"]["DataQualityAppSpecification"]["ImageUri"]["Fn::Join"][1]
    mapping, region, attribute = uri[0]["Fn::FindInMap"]
    assert (region, attribute) == ({"Ref": "AWS::Region"}, "account")
    assert uri[-1] == "/sagemaker-model-monitor-analyzer"
    # The SageMaker SDK's published analyzer accounts (sagemaker-core model-monitor.json).
    assert template["Mappings"][mapping]["us-east-1"] == {"account": "156813124566"}
    assert template["Mappings"][mapping]["eu-west-1"] == {"account": "468650794304"}
    registry = image_table()["monitors"]["model-monitor"]["registry"]
    assert len(template["Mappings"][mapping]) == len(image_table()["registries"][registry])


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_pipeline_passes_exactly_the_parameters_the_blueprint_declares(monitored, kind):
    assert set(monitored[kind.value]["Parameters"]) == set(parameter_names(kind, model_monitor=True))


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_new_parameters_default_to_unset(monitored, kind):
    parameters = monitored[kind]["Parameters"]
    assert parameters["ModelMonitorStatisticsKey"]["Default"] == "none"
    assert parameters["ModelMonitorConstraintsKey"]["Default"] == "none"
    assert "Default" not in parameters["ReportsBucketName"]  # fixed per stage by the pipeline


def test_default_config_blueprints_have_no_model_monitor(synthesized_app):
    for path in synthesized_app.blueprint_dir.glob("*.template.json"):
        template = json.loads(path.read_text())
        assert not {r["Type"] for r in template["Resources"].values()} & {JOB, SCHEDULE}, path.name
        assert not [p for p in template.get("Parameters", {}) if p.startswith("ModelMonitor")], path.name
        assert "ReportsBucketName" not in template.get("Parameters", {}), path.name


def test_default_config_stage_roles_get_no_model_monitor_permissions(synthesized_app):
    text = (
        synthesized_app.outdir / f"{synthesized_app.config.project_name}-Tooling.template.json"
    ).read_text()
    assert "DataQualityJobDefinition" not in text and "monitoring-schedule" not in text
    assert "/model-monitor/*" not in text


@pytest.fixture(scope="module")
def granted():
    stack = Stack()
    deployer = iam.Role(
        stack, "CloudFormation", assumed_by=iam.ServicePrincipal("cloudformation.amazonaws.com")
    )
    jobs = iam.Role(stack, "SageMaker", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    registry, capture, reports = (s3.Bucket(stack, name) for name in ("Registry", "Capture", "Reports"))
    key = kms.Key(stack, "Key")
    grant_model_monitor_deployment(deployer, jobs)
    grant_model_monitor_jobs(
        jobs, registry=LocalReads(registry, key), capture=capture, reports=reports, key=key
    )
    return Template.from_stack(stack), stack


def statements(template: Template, role_prefix: str) -> list[dict[str, Any]]:
    (policy,) = [
        p for key, p in template.find_resources("AWS::IAM::Policy").items() if key.startswith(role_prefix)
    ]
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def test_cloudformation_role_manages_only_job_definitions_and_schedules(granted):
    template, _ = granted
    found = {json.dumps(s["Resource"]): set(s["Action"]) for s in statements(template, "CloudFormation")}
    scoped = {key: actions for key, actions in found.items() if "data-quality-job-definition/*" in key}
    (job_actions,) = scoped.values()
    assert {
        "sagemaker:CreateDataQualityJobDefinition",
        "sagemaker:DeleteDataQualityJobDefinition",
    } <= job_actions
    (schedule_actions,) = [a for key, a in found.items() if "monitoring-schedule/*" in key]
    assert {"sagemaker:CreateMonitoringSchedule", "sagemaker:UpdateMonitoringSchedule"} <= schedule_actions
    assert all(json.loads(key) != "*" for key in found)


def test_cloudformation_role_hands_the_jobs_only_the_stage_sagemaker_role(granted):
    template, _ = granted
    (passing,) = [s for s in statements(template, "CloudFormation") if s["Action"] == "iam:PassRole"]
    (jobs,) = [k for k in template.find_resources("AWS::IAM::Role") if k.startswith("SageMaker")]
    assert passing["Resource"] == {"Fn::GetAtt": [jobs, "Arn"]}
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}


def test_sagemaker_role_reads_baselines_and_writes_only_model_monitor_reports(granted):
    template, stack = granted
    found = json.dumps(stack.resolve(statements(template, "SageMaker")))
    for suffix in ("/datasets/*", "/models/*", "/model-monitor/*"):
        assert suffix in found
    (put,) = [s for s in statements(template, "SageMaker") if s["Action"] == "s3:PutObject"]
    assert put["Resource"]["Fn::Join"][1][-1] == "/model-monitor/*"
