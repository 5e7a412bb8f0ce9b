"""Deployment guardrails: the blue/green update policy and auto-rollback of a SageMaker endpoint."""

from collections.abc import Sequence

from aws_cdk import Aws, Fn
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sagemaker as sagemaker

from mlops_constructs.endpoint_parameters import EndpointParameters


def blue_green_deployment(
    parameters: EndpointParameters, rollback_alarms: Sequence[cloudwatch.IAlarm]
) -> sagemaker.CfnEndpoint.DeploymentConfigProperty:
    """Traffic shifting (all at once, canary or linear), baking and rollback on the given alarms."""
    # CanarySize and LinearStepSize are only allowed with their own traffic routing type.
    shift = {"Type": "CAPACITY_PERCENT", "Value": parameters.number("TrafficShiftPercent")}
    routing = sagemaker.CfnEndpoint.TrafficRoutingConfigProperty(
        type=parameters.text("DeploymentStrategy"),
        wait_interval_in_seconds=parameters.number("BakeSeconds"),
        canary_size=Fn.condition_if(
            parameters.equals("DeploymentStrategy", "CANARY").logical_id, shift, Aws.NO_VALUE
        ),
        linear_step_size=Fn.condition_if(
            parameters.equals("DeploymentStrategy", "LINEAR").logical_id, shift, Aws.NO_VALUE
        ),
    )
    return sagemaker.CfnEndpoint.DeploymentConfigProperty(
        blue_green_update_policy=sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty(
            traffic_routing_configuration=routing,
            termination_wait_in_seconds=parameters.number("TerminationWaitSeconds"),
            maximum_execution_timeout_in_seconds=parameters.number("MaximumExecutionTimeoutSeconds"),
        ),
        auto_rollback_configuration=sagemaker.CfnEndpoint.AutoRollbackConfigProperty(
            # Ref of a CloudWatch alarm is its (CloudFormation-generated) name.
            alarms=[sagemaker.CfnEndpoint.AlarmProperty(alarm_name=a.alarm_name) for a in rollback_alarms]
        ),
    )
