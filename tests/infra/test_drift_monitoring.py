"""Drift monitoring: the blueprint's schedule and alarm, and the tooling stack's check function and roles."""

import json
import re

import pytest

from lambdas.drift_check import settings
from lambdas.drift_check.request import DriftCheckRequest


@pytest.fixture(scope="module")
def templates(synthesized_app):
    return {
        p.name.split("-")[-1].split(".")[0]: json.loads(p.read_text())
        for p in synthesized_app.template_files()
    }


def of_type(template, resource_type):
    return {k: r for k, r in template["Resources"].items() if r["Type"] == resource_type}


def schedule_of(template, function_parameter):
    (schedule,) = [
        s
        for s in of_type(template, "AWS::Scheduler::Schedule").values()
        if s["Properties"]["Target"]["Arn"] == {"Ref": function_parameter}
    ]
    return schedule


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_schedule_invokes_the_drift_check_only_when_the_model_has_a_baseline(templates, kind):
    schedule = schedule_of(templates[kind], "DriftCheckFunctionArn")
    target = schedule["Properties"]["Target"]
    assert target["Arn"] == {"Ref": "DriftCheckFunctionArn"}
    assert target["RoleArn"] == {"Ref": "DriftSchedulerRoleArn"}
    assert schedule["Properties"]["ScheduleExpression"] == {"Ref": "DriftScheduleExpression"}
    assert schedule["Properties"]["KmsKeyArn"] == {"Ref": "KmsKeyArn"}
    condition = templates[kind]["Conditions"][schedule["Condition"]]
    assert {"Fn::Equals": [{"Ref": "BaselineProfileKey"}, "none"]} in condition["Fn::Not"][0]["Fn::Or"]


# What CloudFormation substitutes for the ${...} of a schedule input: plausible values of one endpoint.
SUBSTITUTIONS = {
    "Endpoint": "churn-staging",
    "Variant": "AllTraffic",
    "ModelName": "churn",
    "ModelVersion": "v1",
    "BaselineBucketName": "registry",
    "CaptureBucket": "capture",
    "CapturePrefix": "capture",
}


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_schedule_input_is_a_valid_drift_check_request(templates, kind):
    schedule = schedule_of(templates[kind], "DriftCheckFunctionArn")
    text, variables = schedule["Properties"]["Target"]["Input"]["Fn::Sub"]
    values = {
        **SUBSTITUTIONS,
        "BaselineProfileKey": "baselines/churn/v1/profile.json",
        "DriftPsi": "0.3",
        "DriftKs": "0.15",
        "DriftJs": "0.1",
        "DriftPValue": "0.01",
        "DriftMissingRate": "0.05",
    }
    assert set(variables) == {"Endpoint", "Variant", "CaptureBucket", "CapturePrefix"}
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    request = DriftCheckRequest.model_validate(json.loads(text))
    assert (request.baseline.key, request.capture.prefix) == ("baselines/churn/v1/profile.json", "capture")
    assert "${" not in text
    defaults = request.drift_thresholds().default
    assert (defaults.psi, defaults.ks, defaults.missing_rate_increase) == (0.3, 0.15, 0.05)
    assert "missing_rate_increase" in text  # the manifest's name, not the older alias


def test_serverless_endpoints_have_no_drift_check(templates):
    assert not of_type(templates["serverless"], "AWS::Scheduler::Schedule")


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_drift_alarm_watches_the_endpoint_and_notifies(templates, kind):
    (alarm,) = [
        a
        for a in of_type(templates[kind], "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "DriftDetected"
    ]
    properties = alarm["Properties"]
    assert properties["Namespace"] == "MLOpsOrchestrator/Drift"
    assert properties["AlarmActions"] == [{"Ref": "NotificationTopicArn"}]
    assert properties["Dimensions"][0]["Name"] == "EndpointName"


def test_drift_function_can_scale_out_on_the_regional_sklearn_image(templates):
    tooling = templates["Tooling"]
    (function,) = [
        f
        for f in of_type(tooling, "AWS::Lambda::Function").values()
        if f["Properties"]["Handler"] == "lambdas.drift_check.handler.lambda_handler"
    ]
    variables = function["Properties"]["Environment"]["Variables"]
    image = json.dumps(variables[settings.ENV_PROCESSING_IMAGE_URI])
    assert "Fn::FindInMap" in image and "sagemaker-scikit-learn:1.4-2-py312-cpu-py3" in image
    mapping = next(iter(tooling["Mappings"].values()))
    assert mapping["eu-west-1"]["account"].isdigit()


def test_scheduler_role_may_only_invoke_the_drift_and_quality_checks(templates):
    tooling = templates["Tooling"]
    (policy,) = [
        p
        for p in of_type(tooling, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"][0]["Ref"].startswith("DriftSchedulerRole")
    ]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "lambda:InvokeFunction"
    functions = {
        logical_id.rstrip("0123456789ABCDEF")
        for logical_id in re.findall(r'"(\w+Function\w+)", "Arn"', json.dumps(statement["Resource"]))
    }
    assert functions == {"DriftCheckFunction", "QualityCheckFunction"}


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_quality_schedule_input_is_read_from_the_manifest_and_exists_only_when_configured(templates, kind):
    (schedule,) = [
        s
        for s in of_type(templates[kind], "AWS::Scheduler::Schedule").values()
        if s["Properties"]["Target"]["Arn"] == {"Ref": "QualityCheckFunctionArn"}
    ]
    condition = templates[kind]["Conditions"][schedule["Condition"]]
    assert {"Fn::Equals": [{"Ref": "QualityScheduleExpression"}, "none"]} in condition["Fn::Not"][0]["Fn::Or"]
    text, _ = schedule["Properties"]["Target"]["Input"]["Fn::Sub"]
    values = {**SUBSTITUTIONS, "ManifestKey": "models/churn/v1/manifest.json", "BaselineProfileKey": "none"}
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    document = json.loads(text)
    assert document["manifest"] == {"bucket": "registry", "key": "models/churn/v1/manifest.json"}
    assert document["ground_truth"] == {"bucket": "capture", "prefix": "ground-truth"}


def test_quality_function_reads_manifests_ground_truth_and_captures(templates):
    tooling = templates["Tooling"]
    (policy,) = [
        p
        for p in of_type(tooling, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"][0]["Ref"].startswith("QualityCheckRole")
    ]
    reads = json.dumps(
        [
            s["Resource"]
            for s in policy["Properties"]["PolicyDocument"]["Statement"]
            if s["Action"] == "s3:GetObject"
        ]
    )
    for suffix in ("/capture/*", "/ground-truth/*", "/models/*/manifest.json", "/baselines/*"):
        assert suffix in reads, suffix
