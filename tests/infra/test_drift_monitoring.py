"""Drift monitoring: the blueprint's schedule and alarm, and the tooling stack's check function and roles."""

import json

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


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_schedule_invokes_the_drift_check_only_when_the_model_has_a_baseline(templates, kind):
    (schedule,) = of_type(templates[kind], "AWS::Scheduler::Schedule").values()
    target = schedule["Properties"]["Target"]
    assert target["Arn"] == {"Ref": "DriftCheckFunctionArn"}
    assert target["RoleArn"] == {"Ref": "DriftSchedulerRoleArn"}
    assert schedule["Properties"]["ScheduleExpression"] == {"Ref": "DriftScheduleExpression"}
    assert schedule["Properties"]["KmsKeyArn"] == {"Ref": "KmsKeyArn"}
    condition = templates[kind]["Conditions"][schedule["Condition"]]
    assert {"Fn::Equals": [{"Ref": "BaselineProfileKey"}, "none"]} in condition["Fn::Not"][0]["Fn::Or"]


@pytest.mark.parametrize("kind", ["realtime", "async"])
def test_schedule_input_is_a_valid_drift_check_request(templates, kind):
    (schedule,) = of_type(templates[kind], "AWS::Scheduler::Schedule").values()
    text, variables = schedule["Properties"]["Target"]["Input"]["Fn::Sub"]
    # Substitute every ${...} the way CloudFormation would, with plausible values.
    values = {
        "Endpoint": "churn-staging",
        "Variant": "AllTraffic",
        "ModelName": "churn",
        "ModelVersion": "v1",
        "BaselineBucketName": "registry",
        "BaselineProfileKey": "baselines/churn/v1/profile.json",
        "CaptureBucket": "capture",
        "CapturePrefix": "capture",
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
    assert (request.drift_thresholds().default.psi, request.drift_thresholds().default.ks) == (0.3, 0.15)


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


def test_scheduler_role_may_only_invoke_the_drift_check(templates):
    tooling = templates["Tooling"]
    (policy,) = [
        p
        for p in of_type(tooling, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"][0]["Ref"].startswith("DriftSchedulerRole")
    ]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "lambda:InvokeFunction"
    assert all("DriftCheckFunction" in json.dumps(r) for r in statement["Resource"])
