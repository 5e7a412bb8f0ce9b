"""BatchTransformWorkflow: a state machine that runs a SageMaker transform job to the end and notifies."""

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_resource, in_regulatory_packs
from mlops_constructs.batch_model_steps import MODEL_NAME_PATH, choose_model, delete_created_model
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.orchestrator_function import audit_log_group

# Errors of CreateTransformJob worth another attempt (throttling, account limits); a failed job is not.
RETRIED_ERRORS = ["SageMaker.AmazonSageMakerException", "SageMaker.ResourceLimitExceededException"]
JsonPath = sfn.JsonPath
DEFAULT_JOB_TIMEOUT = Duration.hours(6)
_JOB_ARNS = "arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:transform-job/*"
_MODEL_ARNS = "arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model/*"
_ACKNOWLEDGEMENTS = {
    f"AwsSolutions-IAM5[Resource::{_JOB_ARNS}]": "Transform job names come from the execution input; the "
    ".sync integration needs Describe/Stop on the job it creates, which only a name pattern can express.",
    f"AwsSolutions-IAM5[Resource::{_MODEL_ARNS}]": "The workflow creates (from a registered model package) "
    "and deletes a model named after each transform job; job names come from the execution input.",
    "AwsSolutions-IAM5[Resource::*]": "Granted by CDK for the state machine itself: X-Ray tracing and "
    "CloudWatch Logs delivery actions, which support no resource-level permissions, and sagemaker:ListTags "
    "used by the .sync integration.",
    **in_regulatory_packs(
        "IAMNoInlinePolicy",
        "The policy belongs to exactly one role (the state machine's) and is deleted with it; "
        "every statement is scoped to this workflow's resources.",
    ),
}


class BatchTransformWorkflow(Construct):
    """A transform job of a registered model package, its model created before and deleted after the job.

    Input: {transformJobName, modelPackageArn, inputS3Uri, contentType, instanceType (ml.*), instanceCount}.

    Results land under s3://<results bucket>/batch-transform/<transformJobName>/, KMS-encrypted.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        notification_topic: sns.ITopic,
        encryption_key: kms.IKey,
        results_bucket: s3.IBucket,
        sagemaker_role: iam.IRole,
        package_check: lambda_.IFunction,
        job_timeout: Duration = DEFAULT_JOB_TIMEOUT,
    ) -> None:
        super().__init__(scope, construct_id)
        self._package_check = package_check  # the resolve function: is the package the registered one?
        transform = self._transform(encryption_key, results_bucket, sagemaker_role, job_timeout)
        definition = self._definition(transform, notification_topic, sagemaker_role)
        self.log_group = audit_log_group(self, encryption_key)
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(definition),
            timeout=job_timeout.plus(Duration.minutes(30)),
            tracing_enabled=True,
            logs=sfn.LogOptions(
                destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False
            ),
            encryption_configuration=sfn.CustomerManagedEncryptionConfiguration(encryption_key),
        )
        depend_on_policy_only(self.state_machine, self.state_machine.role)
        self._acknowledge()

    def _definition(
        self, transform: tasks.SageMakerCreateTransformJob, topic: sns.ITopic, role: iam.IRole
    ) -> sfn.IChainable:
        """Model (from the package, or named) -> transform -> clean up -> notify, on both outcomes."""
        failed = self._notify(topic, "NotifyFailure", "failed").next(
            sfn.Fail(self, "Failed", cause="The batch transform job failed or timed out")
        )
        clean_up_failure = delete_created_model(self, "CleanUpAfterFailure", failed)
        transform.add_catch(clean_up_failure, errors=[sfn.Errors.ALL], result_path="$.error")
        succeeded = self._notify(topic, "NotifySuccess", "succeeded")
        transform.next(delete_created_model(self, "CleanUp", succeeded))
        return choose_model(self, role, transform, clean_up_failure, package_check=self._package_check)

    def _transform(
        self, key: kms.IKey, bucket: s3.IBucket, role: iam.IRole, timeout: Duration
    ) -> tasks.SageMakerCreateTransformJob:
        transform = tasks.SageMakerCreateTransformJob(
            self,
            "Transform",
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            transform_job_name=JsonPath.string_at("$.transformJobName"),
            model_name=JsonPath.string_at(MODEL_NAME_PATH),
            role=role,  # the model's execution role; without it CDK would create one with a managed policy
            transform_input=_transform_input(),
            transform_output=_transform_output(key, bucket),
            transform_resources=tasks.TransformResources(
                instance_type=ec2.InstanceType(JsonPath.string_at("$.instanceType")),
                instance_count=JsonPath.number_at("$.instanceCount"),
                volume_encryption_key=key,
            ),
            task_timeout=sfn.Timeout.duration(timeout),
            result_path="$.transform",
        )
        transform.add_retry(
            errors=RETRIED_ERRORS,
            interval=Duration.seconds(30),
            max_attempts=3,
            backoff_rate=2,
            jitter_strategy=sfn.JitterType.FULL,
        )
        return transform

    def _notify(self, topic: sns.ITopic, construct_id: str, outcome: str) -> tasks.SnsPublish:
        details = {"error": JsonPath.object_at("$.error")} if outcome == "failed" else {}
        return tasks.SnsPublish(
            self,
            construct_id,
            topic=topic,
            subject=f"Batch transform {outcome}",
            message=sfn.TaskInput.from_object(
                {
                    "outcome": outcome,
                    "transformJobName": JsonPath.string_at("$.transformJobName"),
                    "execution": JsonPath.execution_id,
                    **details,
                }
            ),
            result_path=JsonPath.DISCARD,
        )

    def _acknowledge(self) -> None:
        check = self._package_check
        versions = (
            iam5_resource(check, ":*")
            if isinstance(check, lambda_.Function)
            else f"AwsSolutions-IAM5[Resource::{check.function_arn}:*]"
        )
        reason = "CDK's Lambda invoke grant also names the package check's versions and aliases (ARN:*)."
        acknowledge(
            self.state_machine.role.node.find_child("DefaultPolicy"), _ACKNOWLEDGEMENTS | {versions: reason}
        )


def _transform_input() -> tasks.TransformInput:
    """The execution input names the data: every object under its inputS3Uri prefix, of its contentType."""
    return tasks.TransformInput(
        transform_data_source=tasks.TransformDataSource(
            s3_data_source=tasks.TransformS3DataSource(
                s3_uri=JsonPath.string_at("$.inputS3Uri"), s3_data_type=tasks.S3DataType.S3_PREFIX
            )
        ),
        content_type=JsonPath.string_at("$.contentType"),
    )


def _transform_output(key: kms.IKey, bucket: s3.IBucket) -> tasks.TransformOutput:
    """Results go under batch-transform/<job name>/ in the results bucket, encrypted with the data key."""
    return tasks.TransformOutput(
        s3_output_path=JsonPath.format(
            f"s3://{bucket.bucket_name}/batch-transform/{{}}/", JsonPath.string_at("$.transformJobName")
        ),
        encryption_key=key,
    )
