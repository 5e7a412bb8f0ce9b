"""EndpointAutoscaling: Application Auto Scaling target tracking of an instance-backed endpoint variant."""

from aws_cdk import Fn
from aws_cdk import aws_applicationautoscaling as autoscaling
from constructs import Construct

from mlops_constructs.endpoint_alarms import NAMESPACE
from mlops_constructs.model_endpoint import ModelEndpoint
from mlops_manifest.inference import InferenceType

Policy = autoscaling.CfnScalingPolicy


class EndpointAutoscaling(Construct):
    """Scales the variant between MinCapacity and MaxCapacity when AutoscalingEnabled is "true"."""

    def __init__(self, scope: Construct, construct_id: str, *, endpoint: ModelEndpoint) -> None:
        super().__init__(scope, construct_id)
        if endpoint.inference_type not in (InferenceType.REALTIME, InferenceType.ASYNC):
            raise ValueError("only instance-backed (realtime, async) endpoints scale on instances")
        p = endpoint.parameters
        enabled = p.is_true("AutoscalingEnabled")
        # No RoleARN: Application Auto Scaling uses its service-linked role for SageMaker.
        self.target = autoscaling.CfnScalableTarget(
            self,
            "Target",
            service_namespace="sagemaker",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            resource_id=Fn.join(
                "", ["endpoint/", endpoint.endpoint_name, "/variant/", endpoint.variant_name]
            ),
            min_capacity=p.number("MinCapacity"),
            max_capacity=p.number("MaxCapacity"),
        )
        self.policy = Policy(
            self,
            "Policy",
            policy_name="TargetTracking",
            policy_type="TargetTrackingScaling",
            scaling_target_id=self.target.ref,
            target_tracking_scaling_policy_configuration=self._tracking(endpoint),
        )
        for resource in (self.target, self.policy):
            resource.cfn_options.condition = enabled

    @staticmethod
    def _tracking(endpoint: ModelEndpoint) -> Policy.TargetTrackingScalingPolicyConfigurationProperty:
        p = endpoint.parameters
        if endpoint.inference_type is InferenceType.REALTIME:
            return Policy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=p.number("TargetInvocationsPerInstance"),
                predefined_metric_specification=Policy.PredefinedMetricSpecificationProperty(
                    predefined_metric_type="SageMakerVariantInvocationsPerInstance"
                ),
                scale_in_cooldown=300,
                scale_out_cooldown=60,
            )
        # Asynchronous endpoints publish no invocation counts; AWS recommends scaling on the queue backlog.
        return Policy.TargetTrackingScalingPolicyConfigurationProperty(
            target_value=p.number("TargetBacklogPerInstance"),
            customized_metric_specification=Policy.CustomizedMetricSpecificationProperty(
                metric_name="ApproximateBacklogSizePerInstance",
                namespace=NAMESPACE,
                dimensions=[
                    Policy.MetricDimensionProperty(name="EndpointName", value=endpoint.endpoint_name)
                ],
                statistic="Average",
            ),
            scale_in_cooldown=300,
            scale_out_cooldown=60,
        )
