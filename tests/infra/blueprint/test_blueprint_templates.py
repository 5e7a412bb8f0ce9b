"""Endpoint blueprints: one property per test, for each inference type."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

from mlops_manifest.inference import InferenceType
from tests.infra.blueprint.conftest import ENDPOINT_TYPES, INSTANCE_BACKED, resources_of, the_one

REALTIME, SERVERLESS, ASYNC = InferenceType.REALTIME, InferenceType.SERVERLESS, InferenceType.ASYNC
ENDPOINT = "AWS::SageMaker::Endpoint"
CONFIG = "AWS::SageMaker::EndpointConfig"
MODEL = "AWS::SageMaker::Model"
PIPELINE_PARAMETERS = {
    "ModelName",
    "ModelVersion",
    "StageName",
    "ImageUri",
    "ModelDataUrl",
    "ModelRoleBoundaryArn",
}


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_pipeline_parameters_are_declared_under_their_own_names(blueprints, kind):
    assert set(blueprints.json(kind)["Parameters"]) >= PIPELINE_PARAMETERS


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_endpoint_name_is_model_dash_stage(blueprints, kind):
    endpoint = the_one(blueprints.json(kind), ENDPOINT)
    assert endpoint["Properties"]["EndpointName"] == {
        "Fn::Join": ["-", [{"Ref": "ModelName"}, {"Ref": "StageName"}]]
    }


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_endpoint_config_and_model_are_never_named(blueprints, kind):
    document = blueprints.json(kind)
    assert "EndpointConfigName" not in the_one(document, CONFIG)["Properties"]
    assert "ModelName" not in the_one(document, MODEL)["Properties"]


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_model_uses_its_own_role_and_the_passed_image_and_artifact(blueprints, kind):
    (role,) = resources_of(blueprints.json(kind), "AWS::IAM::Role")
    blueprints.template(kind).has_resource_properties(
        MODEL,
        {
            "ExecutionRoleArn": {"Fn::GetAtt": [role, "Arn"]},
            "PrimaryContainer": {"Image": {"Ref": "ImageUri"}, "ModelDataUrl": {"Ref": "ModelDataUrl"}},
        },
    )


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_instance_backed_models_are_network_isolated(blueprints, kind):
    blueprints.template(kind).has_resource_properties(MODEL, {"EnableNetworkIsolation": True})


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_vpc_config_is_only_set_when_subnets_are_given(blueprints, kind):
    vpc = the_one(blueprints.json(kind), MODEL)["Properties"]["VpcConfig"]
    condition, when_set, otherwise = vpc["Fn::If"]
    joined = {"Fn::Join": ["", {"Ref": "SubnetIds"}]}
    assert blueprints.json(kind)["Conditions"][condition] == {
        "Fn::Not": [{"Fn::Or": [{"Fn::Equals": [joined, ""]}, {"Fn::Equals": [joined, "none"]}]}]
    }
    assert when_set == {"Subnets": {"Ref": "SubnetIds"}, "SecurityGroupIds": {"Ref": "SecurityGroupIds"}}
    assert otherwise == {"Ref": "AWS::NoValue"}


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_data_capture_is_on_encrypted_and_records_both_directions(blueprints, kind):
    capture = the_one(blueprints.json(kind), CONFIG)["Properties"]["DataCaptureConfig"]
    assert capture["KmsKeyId"] == {"Ref": "KmsKeyArn"}
    assert capture["DestinationS3Uri"] == {"Ref": "DataCaptureS3Uri"}
    assert capture["InitialSamplingPercentage"] == {"Ref": "CaptureSamplingPercent"}
    assert capture["CaptureOptions"] == [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]
    assert capture["CaptureContentTypeHeader"] == {
        "CsvContentTypes": {"Ref": "CaptureCsvContentTypes"},
        "JsonContentTypes": {"Ref": "CaptureJsonContentTypes"},
    }
    assert blueprints.json(kind)["Parameters"]["DataCaptureEnabled"]["Default"] == "true"


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_storage_volume_key_is_left_out_only_for_local_nvme_instances(blueprints, kind):
    key = the_one(blueprints.json(kind), CONFIG)["Properties"]["KmsKeyId"]
    condition, local, otherwise = key["Fn::If"]
    assert blueprints.json(kind)["Conditions"][condition] == {
        "Fn::Equals": [{"Ref": "InstanceStorageIsLocal"}, "true"]
    }
    assert (local, otherwise) == ({"Ref": "AWS::NoValue"}, {"Ref": "KmsKeyArn"})


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_instance_variant_takes_type_and_count(blueprints, kind):
    (variant,) = the_one(blueprints.json(kind), CONFIG)["Properties"]["ProductionVariants"]
    assert variant["VariantName"] == "AllTraffic"
    assert variant["InstanceType"] == {"Ref": "InstanceType"}
    assert variant["InitialInstanceCount"] == {"Ref": "InstanceCount"}
    assert "ServerlessConfig" not in variant


def test_serverless_variant_has_serverless_config_and_no_instances(blueprints):
    (variant,) = the_one(blueprints.json(SERVERLESS), CONFIG)["Properties"]["ProductionVariants"]
    assert variant["ServerlessConfig"] == {
        "MemorySizeInMB": {"Ref": "MemorySizeInMB"},
        "MaxConcurrency": {"Ref": "MaxConcurrency"},
    }
    assert "InstanceType" not in variant and "InitialInstanceCount" not in variant


def test_serverless_leaves_out_what_serverless_inference_refuses(blueprints):
    document = blueprints.json(SERVERLESS)
    config = the_one(document, CONFIG)["Properties"]
    model = the_one(document, MODEL)["Properties"]
    assert not {"DataCaptureConfig", "KmsKeyId", "AsyncInferenceConfig"} & set(config)
    assert not {"VpcConfig", "EnableNetworkIsolation"} & set(model)
    assert not {"InstanceType", "SubnetIds", "DataCaptureS3Uri"} & set(document["Parameters"])


def test_async_config_writes_encrypted_results_and_notifies_optional_topics(blueprints):
    document = blueprints.json(ASYNC)
    output = the_one(document, CONFIG)["Properties"]["AsyncInferenceConfig"]["OutputConfig"]
    assert output["S3OutputPath"] == {"Ref": "AsyncOutputS3Uri"}
    assert output["KmsKeyId"] == {"Ref": "KmsKeyArn"}
    success = output["NotificationConfig"]["SuccessTopic"]["Fn::If"]
    error = output["NotificationConfig"]["ErrorTopic"]["Fn::If"]
    assert success[1:] == [{"Ref": "AsyncSuccessTopicArn"}, {"Ref": "AWS::NoValue"}]
    assert error[1:] == [{"Ref": "AsyncErrorTopicArn"}, {"Ref": "AWS::NoValue"}]


@pytest.mark.parametrize("kind", [REALTIME, SERVERLESS])
def test_only_async_has_an_async_inference_config(blueprints, kind):
    assert "AsyncInferenceConfig" not in the_one(blueprints.json(kind), CONFIG)["Properties"]


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_rollback_alarms_are_the_endpoints_own_alarms(blueprints, kind):
    document = blueprints.json(kind)
    rollback = the_one(document, ENDPOINT)["Properties"]["DeploymentConfig"]["AutoRollbackConfiguration"]
    referenced = {alarm["AlarmName"]["Ref"] for alarm in rollback["Alarms"]}
    alarms = resources_of(document, "AWS::CloudWatch::Alarm")
    # Every alarm but the drift alarm guards the rollout: drift is no reason to roll a deployment back.
    guarding = {
        key for key, alarm in alarms.items() if alarm["Properties"].get("MetricName") != "DriftDetected"
    }
    assert referenced == guarding
    assert len(referenced) == 3


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_blue_green_policy_takes_strategy_bake_and_timeouts(blueprints, kind):
    policy = the_one(blueprints.json(kind), ENDPOINT)["Properties"]["DeploymentConfig"][
        "BlueGreenUpdatePolicy"
    ]
    routing = policy["TrafficRoutingConfiguration"]
    assert routing["Type"] == {"Ref": "DeploymentStrategy"}
    assert routing["WaitIntervalInSeconds"] == {"Ref": "BakeSeconds"}
    assert policy["TerminationWaitInSeconds"] == {"Ref": "TerminationWaitSeconds"}
    assert policy["MaximumExecutionTimeoutInSeconds"] == {"Ref": "MaximumExecutionTimeoutSeconds"}


@pytest.mark.parametrize(
    ("strategy", "size_property", "other_property"),
    [("CANARY", "CanarySize", "LinearStepSize"), ("LINEAR", "LinearStepSize", "CanarySize")],
)
@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_shift_size_is_set_only_for_its_own_strategy(
    blueprints, kind, strategy, size_property, other_property
):
    document = blueprints.json(kind)
    routing = the_one(document, ENDPOINT)["Properties"]["DeploymentConfig"]["BlueGreenUpdatePolicy"][
        "TrafficRoutingConfiguration"
    ]
    condition, size, otherwise = routing[size_property]["Fn::If"]
    assert document["Conditions"][condition] == {"Fn::Equals": [{"Ref": "DeploymentStrategy"}, strategy]}
    assert size == {"Type": "CAPACITY_PERCENT", "Value": {"Ref": "TrafficShiftPercent"}}
    assert otherwise == {"Ref": "AWS::NoValue"}
    assert routing[other_property]["Fn::If"][0] != condition


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_strategy_parameter_offers_exactly_the_three_traffic_shifting_modes(blueprints, kind):
    parameter = blueprints.json(kind)["Parameters"]["DeploymentStrategy"]
    assert parameter["AllowedValues"] == ["ALL_AT_ONCE", "CANARY", "LINEAR"]
    assert blueprints.json(kind)["Parameters"]["TrafficShiftPercent"]["MaxValue"] == 50


def test_serverless_endpoint_has_no_guardrails(blueprints):
    endpoint = the_one(blueprints.json(SERVERLESS), ENDPOINT)["Properties"]
    assert "DeploymentConfig" not in endpoint
    assert "DeploymentStrategy" not in blueprints.json(SERVERLESS)["Parameters"]


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_every_alarm_notifies_the_topic_parameter(blueprints, kind):
    alarms = resources_of(blueprints.json(kind), "AWS::CloudWatch::Alarm")
    assert alarms
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "NotificationTopicArn"}]


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_5xx_alarm_is_the_share_of_5xx_responses_against_its_threshold(blueprints, kind):
    blueprints.template(kind).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Threshold": {"Ref": "Http5xxRatePercent"},
            "Metrics": Match.array_with(
                [
                    Match.object_like({"Expression": "100 * errors"}),
                    Match.object_like(
                        {
                            "Id": "errors",
                            "MetricStat": Match.object_like(
                                {
                                    "Metric": Match.object_like({"MetricName": "Invocation5XXErrors"}),
                                    "Stat": "Average",
                                }
                            ),
                        }
                    ),
                ]
            ),
        },
    )


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_latency_alarm_converts_microseconds_to_the_millisecond_threshold(blueprints, kind):
    blueprints.template(kind).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Threshold": {"Ref": "ModelLatencyMilliseconds"},
            "Metrics": Match.array_with([Match.object_like({"Expression": "latency / 1000"})]),
        },
    )


@pytest.mark.parametrize(
    ("kind", "metric"), [(REALTIME, "InvocationModelErrors"), (ASYNC, "InvocationFailures")]
)
def test_error_alarm_uses_the_metric_the_endpoint_type_publishes(blueprints, kind, metric):
    blueprints.template(kind).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": metric,
            "Namespace": "AWS/SageMaker",
            "Threshold": {"Ref": "InvocationErrorsThreshold"},
        },
    )


def test_realtime_autoscaling_tracks_invocations_per_instance(blueprints):
    template = blueprints.template(REALTIME)
    template.has_resource(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "Condition": "AutoscalingEnabledIsTrue",
            "Properties": Match.object_like(
                {
                    "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                    "MinCapacity": {"Ref": "MinCapacity"},
                    "MaxCapacity": {"Ref": "MaxCapacity"},
                }
            ),
        },
    )
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "TargetTrackingScalingPolicyConfiguration": Match.object_like(
                {
                    "TargetValue": {"Ref": "TargetInvocationsPerInstance"},
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
                    },
                }
            )
        },
    )


def test_scalable_target_is_the_endpoints_variant(blueprints):
    document = blueprints.json(REALTIME)
    target = the_one(document, "AWS::ApplicationAutoScaling::ScalableTarget")["Properties"]
    endpoint_id = next(iter(resources_of(document, ENDPOINT)))
    assert target["ResourceId"] == {
        "Fn::Join": ["", ["endpoint/", {"Fn::GetAtt": [endpoint_id, "EndpointName"]}, "/variant/AllTraffic"]]
    }


def test_async_autoscaling_tracks_the_backlog(blueprints):
    blueprints.template(ASYNC).has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "TargetTrackingScalingPolicyConfiguration": Match.object_like(
                {
                    "TargetValue": {"Ref": "TargetBacklogPerInstance"},
                    "CustomizedMetricSpecification": Match.object_like(
                        {"MetricName": "ApproximateBacklogSizePerInstance", "Statistic": "Average"}
                    ),
                }
            )
        },
    )


def test_serverless_has_no_instance_autoscaling(blueprints):
    assert not resources_of(blueprints.json(SERVERLESS), "AWS::ApplicationAutoScaling::ScalableTarget")


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_outputs_name_the_endpoint_for_the_pipeline_and_smoke_test(blueprints, kind):
    document = blueprints.json(kind)
    endpoint_id = next(iter(resources_of(document, ENDPOINT)))
    outputs = document["Outputs"]
    assert outputs["EndpointName"]["Value"] == {"Fn::GetAtt": [endpoint_id, "EndpointName"]}
    assert outputs["EndpointArn"]["Value"] == {"Ref": endpoint_id}
    assert all(output.get("Description") for output in outputs.values())


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_template_is_self_contained_for_a_pipeline_deployment(blueprints, kind):
    document = blueprints.json(kind)
    assert "BootstrapVersion" not in document.get("Parameters", {})
    assert "Rules" not in document
    assert not resources_of(document, "AWS::CDK::Metadata")
    assert document["Description"].startswith("MLOps Orchestrator endpoint blueprint")


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_extensions_receive_the_endpoint_with_its_hooks(blueprints, kind):
    (endpoint,) = blueprints.extended[kind]
    assert endpoint.inference_type is kind
    assert endpoint.notification_topic is not None
    assert (endpoint.capture_uri is None) == (kind is SERVERLESS)


def test_batch_has_no_endpoint_blueprint():
    from aws_cdk import App

    from stacks.endpoint_blueprint_stack import EndpointBlueprintStack

    with pytest.raises((KeyError, ValueError)):
        EndpointBlueprintStack(App(), "Batch", inference_type=InferenceType.BATCH)


@pytest.mark.parametrize("kind", INSTANCE_BACKED)
def test_check_schedules_live_in_the_stages_schedule_group(blueprints, kind):
    document = blueprints.json(kind)
    schedules = [r for r in document["Resources"].values() if r["Type"] == "AWS::Scheduler::Schedule"]
    assert len(schedules) >= 2  # the drift check and the model-quality check
    for schedule in schedules:
        assert schedule["Properties"]["GroupName"] == {"Ref": "ScheduleGroupName"}
