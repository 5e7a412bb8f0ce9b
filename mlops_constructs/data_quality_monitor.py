"""DataQualityMonitor: an hourly SageMaker Model Monitor data-quality schedule in the endpoint blueprint."""

from typing import Any, cast

from aws_cdk import Aws, Fn, ICfnConditionExpression
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from mlops_constructs.endpoint_parameters import EndpointParameters
from mlops_constructs.model_endpoint import ModelEndpoint
from mlops_constructs.processing_image import model_monitor_image_uri

MODEL_MONITOR_PREFIX = "model-monitor"  # s3://<reports bucket>/model-monitor/<endpoint>/
HOURLY = "cron(0 * ? * * *)"
_INPUT_PATH = "/opt/ml/processing/input/endpoint"
_OUTPUT_PATH = "/opt/ml/processing/output"
_INSTANCE_TYPE = "ml.m5.xlarge"
_VOLUME_GB = 20
_MAX_RUNTIME_SECONDS = 3600  # the longest an hourly schedule's job may run

Job = sagemaker.CfnDataQualityJobDefinition


class DataQualityMonitor(Construct):
    """Model Monitor's data-quality job on the captured traffic, for models registered with its baselines."""

    def __init__(self, scope: Construct, construct_id: str, *, endpoint: ModelEndpoint) -> None:
        super().__init__(scope, construct_id)
        parameters, endpoint_name = endpoint.parameters, endpoint.endpoint_name
        # The model supplied a Model Monitor baseline and the endpoint captures traffic (Model Monitor
        # refuses endpoints without data capture).
        self.condition = parameters.condition(
            "ModelMonitorEnabled",
            Fn.condition_and(
                *(
                    cast(ICfnConditionExpression, condition)  # a CfnCondition is one; jsii types don't say so
                    for condition in (
                        parameters.is_set("ModelMonitorStatisticsKey"),
                        parameters.is_true("DataCaptureEnabled"),
                    )
                )
            ),
        )
        self.job_definition = self._job_definition(parameters, endpoint_name)
        self.job_definition.cfn_options.condition = self.condition
        self.schedule = self._schedule(endpoint_name)
        self.schedule.cfn_options.condition = self.condition

    def _schedule(self, endpoint_name: str) -> sagemaker.CfnMonitoringSchedule:
        return sagemaker.CfnMonitoringSchedule(
            self,
            "Schedule",
            # One schedule per endpoint: the endpoint's own name is unique and within the 63-character limit.
            monitoring_schedule_name=endpoint_name,
            endpoint_name=endpoint_name,
            monitoring_schedule_config=sagemaker.CfnMonitoringSchedule.MonitoringScheduleConfigProperty(
                # …:data-quality-job-definition/<generated name>: the ARN is all CloudFormation returns.
                monitoring_job_definition_name=Fn.select(
                    1, Fn.split("/", self.job_definition.attr_job_definition_arn)
                ),
                monitoring_type="DataQuality",
                schedule_config=sagemaker.CfnMonitoringSchedule.ScheduleConfigProperty(
                    schedule_expression=HOURLY
                ),
            ),
        )

    def _job_definition(self, parameters: EndpointParameters, endpoint_name: str) -> Job:
        # Never named: every change replaces a job definition, and the schedule then points at the new one.
        key = parameters.text("KmsKeyArn")
        return Job(
            self,
            "JobDefinition",
            data_quality_app_specification=Job.DataQualityAppSpecificationProperty(
                image_uri=model_monitor_image_uri(self)
            ),
            data_quality_baseline_config=self._baseline(parameters),
            data_quality_job_input=Job.DataQualityJobInputProperty(
                endpoint_input=Job.EndpointInputProperty(
                    endpoint_name=endpoint_name,
                    local_path=_INPUT_PATH,
                    s3_input_mode="File",
                    s3_data_distribution_type="FullyReplicated",
                )
            ),
            data_quality_job_output_config=self._output(parameters, endpoint_name, key),
            job_resources=Job.MonitoringResourcesProperty(
                cluster_config=Job.ClusterConfigProperty(
                    instance_count=1,
                    instance_type=_INSTANCE_TYPE,
                    volume_size_in_gb=_VOLUME_GB,
                    volume_kms_key_id=key,
                )
            ),
            network_config=Job.NetworkConfigProperty(
                enable_network_isolation=True, enable_inter_container_traffic_encryption=True
            ),
            role_arn=parameters.text("ExecutionRoleArn"),
            stopping_condition=Job.StoppingConditionProperty(max_runtime_in_seconds=_MAX_RUNTIME_SECONDS),
        )

    @staticmethod
    def _output(
        parameters: EndpointParameters, endpoint_name: str, key: str
    ) -> Job.MonitoringOutputConfigProperty:
        """Reports written KMS-encrypted to s3://<reports bucket>/model-monitor/<endpoint>/."""
        reports = f"s3://{parameters.text('ReportsBucketName')}/{MODEL_MONITOR_PREFIX}/"
        output = Job.S3OutputProperty(
            local_path=_OUTPUT_PATH,
            s3_uri=Fn.join("", [reports, endpoint_name, "/"]),
            s3_upload_mode="EndOfJob",
        )
        return Job.MonitoringOutputConfigProperty(
            kms_key_id=key, monitoring_outputs=[Job.MonitoringOutputProperty(s3_output=output)]
        )

    @staticmethod
    def _baseline(parameters: EndpointParameters) -> Job.DataQualityBaselineConfigProperty:
        """The statistics (required) and constraints (optional) the model was registered with."""
        bucket = parameters.text("BaselineBucketName")
        constraints: Any = Fn.condition_if(
            parameters.is_set("ModelMonitorConstraintsKey").logical_id,
            {"S3Uri": f"s3://{bucket}/{parameters.text('ModelMonitorConstraintsKey')}"},
            Aws.NO_VALUE,
        )
        return Job.DataQualityBaselineConfigProperty(
            statistics_resource=Job.StatisticsResourceProperty(
                s3_uri=f"s3://{bucket}/{parameters.text('ModelMonitorStatisticsKey')}"
            ),
            constraints_resource=constraints,
        )
