"""Provisioning API (tooling stack): IAM on every method, validated bodies, throttling, logs, tracing."""

import json

import pytest
from aws_cdk.assertions import Match

from mlops_api import models
from mlops_api.operations import OPERATIONS
from mlops_constructs.provisioning_api import BURST_LIMIT, RATE_LIMIT

HANDLER = "lambdas.provisioning_api.handler.lambda_handler"


@pytest.fixture(scope="module")
def methods(tooling_template):
    return tooling_template.find_resources("AWS::ApiGateway::Method")


def test_every_operation_has_a_method_and_every_method_takes_iam_only(methods):
    assert len(methods) == len(OPERATIONS)
    assert {m["Properties"]["AuthorizationType"] for m in methods.values()} == {"AWS_IAM"}


def test_every_method_is_validated_and_reaches_the_function(tooling_template, methods):
    (validator_id,) = tooling_template.find_resources(
        "AWS::ApiGateway::RequestValidator",
        {"Properties": {"ValidateRequestBody": True, "ValidateRequestParameters": True}},
    )
    for method in methods.values():
        assert method["Properties"]["RequestValidatorId"] == {"Ref": validator_id}
        assert method["Properties"]["Integration"]["Type"] == "AWS_PROXY"
    (function_id,) = tooling_template.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Handler": HANDLER}}
    )
    uris = {json.dumps(m["Properties"]["Integration"]["Uri"]) for m in methods.values()}
    assert all(function_id in uri for uri in uris)


def test_request_bodies_are_checked_against_the_pydantic_models(tooling_template, methods):
    found = tooling_template.find_resources("AWS::ApiGateway::Model")
    schemas = {m["Properties"]["Schema"]["description"]: m["Properties"]["Schema"] for m in found.values()}
    upload = schemas[models.UploadRequest.__doc__]
    assert upload["properties"]["artifact_sha256"]["pattern"] == "^[0-9a-f]{64}$"
    assert upload["additionalProperties"] is False
    assert set(upload["required"]) >= {"model_name", "version", "artifact_size_bytes", "artifact_sha256"}
    with_models = [m for m in methods.values() if m["Properties"].get("RequestModels")]
    assert len(with_models) == sum(1 for op in OPERATIONS if op.request is not None)


def test_the_stage_is_throttled_traced_and_access_logged_to_an_encrypted_group(tooling_template):
    tooling_template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "TracingEnabled": True,
            "MethodSettings": Match.array_with(
                [Match.object_like({"ThrottlingRateLimit": RATE_LIMIT, "ThrottlingBurstLimit": BURST_LIMIT})]
            ),
            "AccessLogSetting": Match.object_like(
                {"Format": Match.string_like_regexp(r"\$context\.identity\.caller")}
            ),
        },
    )
    (stage,) = tooling_template.find_resources("AWS::ApiGateway::Stage").values()
    log_group_ref = json.dumps(stage["Properties"]["AccessLogSetting"]["DestinationArn"])
    groups = tooling_template.find_resources(
        "AWS::Logs::LogGroup", {"Properties": {"KmsKeyId": Match.any_value()}}
    )
    assert any(f'"{group_id}"' in log_group_ref for group_id in groups)


def test_gateway_refusals_are_json_that_names_the_problem(tooling_template):
    tooling_template.has_resource_properties(
        "AWS::ApiGateway::GatewayResponse",
        {
            "ResponseType": "BAD_REQUEST_BODY",
            "ResponseTemplates": {"application/json": Match.string_like_regexp("validationErrorString")},
        },
    )
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        tooling_template.has_resource_properties("AWS::ApiGateway::GatewayResponse", {"ResponseType": kind})


def test_the_function_signs_puts_under_models_only(tooling_template):
    (function,) = tooling_template.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Handler": HANDLER}}
    ).values()
    role = function["Properties"]["Role"]["Fn::GetAtt"][0]
    (policy,) = tooling_template.find_resources(
        "AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role}]}}
    ).values()
    puts = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if "s3:PutObject" in json.dumps(s["Action"])
    ]
    assert len(puts) == 1
    assert json.dumps(puts[0]["Resource"]).endswith('/models/*"]]}')
