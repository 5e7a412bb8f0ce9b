"""BatchTransformWorkflow: a state machine that runs a SageMaker transform job to the end and notifies."""

from aws_cdk import Duration, PhysicalName, Size
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from lambdas.common.events import EVENT_SOURCE
from mlops_constructs.acknowledge import acknowledge, iam5_token, in_regulatory_packs
from mlops_constructs.batch_input_check import INPUT_PREFIX_PATH
from mlops_constructs.batch_model_steps import (
    MODEL_NAME_PATH,
    PACKAGE_MODEL_NAME,
    choose_model,
    delete_created_model,
)
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.orchestrator_function import audit_log_group
from mlops_contract.batch_layout import BATCH_DETAIL_TYPES, BATCH_INPUT_PREFIX, BATCH_OUTPUT_PREFIX

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

    Input: {transformJobName, modelPackageArn, inputPrefix, contentType, instanceType (ml.*), instanceCount}.
    The job reads s3://<data bucket>/batch-input/<model>/<inputPrefix> and writes its results under
    s3://<data bucket>/batch-output/<model>/<transformJobName>/, KMS-encrypted; <model> is the registered
    package's model name, never an execution input. Outcomes go to `notification_topic`, or (in a stage
    account) as events on `event_bus`, which forwards them to the tooling account.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: kms.IKey,
        data_bucket: s3.IBucket,
        batch_role: iam.IRole,
        package_check: lambda_.IFunction,
        notification_topic: sns.ITopic | None = None,
        event_bus: events.IEventBus | None = None,
        job_timeout: Duration = DEFAULT_JOB_TIMEOUT,
    ) -> None:
        super().__init__(scope, construct_id)
        if (notification_topic is None) == (event_bus is None):
            raise ValueError("BatchTransformWorkflow notifies either a topic or an event bus, exactly one")
        self._package_check = package_check  # the resolve function: is the package the registered one?
        self._topic, self._bus = notification_topic, event_bus
        # The tasks see the batch role read-only: given a model image and artifact named at run time, CDK
        # would otherwise grant it s3:GetObject and ECR pulls on "*"; its own policy already says what it may.
        fixed_role = iam.Role.from_role_arn(self, "BatchRoleView", batch_role.role_arn, mutable=False)
        transform = self._transform(encryption_key, data_bucket, fixed_role, job_timeout)
        definition = self._definition(transform, fixed_role)
        self.log_group = audit_log_group(self, encryption_key)
        self.state_machine = self._state_machine(definition, encryption_key, job_timeout)
        depend_on_policy_only(self.state_machine, self.state_machine.role)
        self._acknowledge()

    def _state_machine(
        self, definition: sfn.IChainable, key: kms.IKey, timeout: Duration
    ) -> sfn.StateMachine:
        """The traced, encrypted state machine, logging to the audit log group without execution data."""
        return sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(definition),
            timeout=timeout.plus(Duration.minutes(30)),
            tracing_enabled=True,
            logs=sfn.LogOptions(
                destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False
            ),
            encryption_configuration=sfn.CustomerManagedEncryptionConfiguration(key),
            role=self._named_role(),
            # A name only when another account names the state machine (the tooling account's batch note).
            state_machine_name=PhysicalName.GENERATE_IF_NEEDED if self._bus else None,
        )

    def _named_role(self) -> iam.IRole | None:
        """In a stage account, a role the tooling account can name (in the package check's resource policy);
        here, the role the state machine creates itself."""
        if self._bus is None:
            return None
        return iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
            role_name=PhysicalName.GENERATE_IF_NEEDED,
            description="Runs the batch transform workflow of this account's production stage",
        )

    def _definition(self, transform: tasks.SageMakerCreateTransformJob, role: iam.IRole) -> sfn.IChainable:
        """Input prefix -> package -> model -> transform -> clean up -> notify, on both outcomes."""
        failed = self._notify("NotifyFailure", "failed").next(
            sfn.Fail(self, "Failed", cause="The batch transform job failed or timed out")
        )
        clean_up_failure = delete_created_model(self, "CleanUpAfterFailure", failed)
        transform.add_catch(clean_up_failure, errors=[sfn.Errors.ALL], result_path="$.error")
        succeeded = self._notify("NotifySuccess", "succeeded")
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
            role=role,  # the batch role; without it CDK would create one with a managed policy
            transform_input=_transform_input(bucket),
            transform_output=_transform_output(key, bucket),
            transform_resources=tasks.TransformResources(
                instance_type=ec2.InstanceType(JsonPath.string_at("$.instanceType")),
                instance_count=JsonPath.number_at("$.instanceCount"),
                volume_encryption_key=key,
            ),
            # The manifest's max_payload_mb, carried by the suggested execution input.
            max_payload=Size.mebibytes(JsonPath.number_at("$.maxPayloadInMB")),
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

    def _notify(self, construct_id: str, outcome: str) -> sfn.TaskStateBase:
        """The outcome on the tooling topic, or as an event that the stage account forwards to tooling."""
        details = {"error": JsonPath.object_at("$.error")} if outcome == "failed" else {}
        message = {
            "outcome": outcome,
            "transformJobName": JsonPath.string_at("$.transformJobName"),
            "execution": JsonPath.execution_id,
            **details,
        }
        if self._bus is not None:
            entry = tasks.EventBridgePutEventsEntry(
                event_bus=self._bus,
                source=EVENT_SOURCE,
                detail_type=BATCH_DETAIL_TYPES[outcome],
                detail=sfn.TaskInput.from_object(message),
            )
            return tasks.EventBridgePutEvents(
                self, construct_id, entries=[entry], result_path=JsonPath.DISCARD
            )
        assert self._topic is not None
        return tasks.SnsPublish(
            self,
            construct_id,
            topic=self._topic,
            subject=f"Batch transform {outcome}",
            message=sfn.TaskInput.from_object(message),
            result_path=JsonPath.DISCARD,
        )

    def _acknowledge(self) -> None:
        role = self.state_machine.role
        versions = iam5_token(role, f"{self._package_check.function_arn}:*")
        reason = "CDK's Lambda invoke grant also names the package check's versions and aliases (ARN:*)."
        acknowledge(role.node.find_child("DefaultPolicy"), _ACKNOWLEDGEMENTS | {versions: reason})


def _transform_input(bucket: s3.IBucket) -> tasks.TransformInput:
    """Every object under batch-input/<model>/<inputPrefix> in the data bucket, of the run's contentType."""
    uri = JsonPath.format(
        f"s3://{bucket.bucket_name}/{BATCH_INPUT_PREFIX}{{}}/{{}}",
        JsonPath.string_at(PACKAGE_MODEL_NAME),
        JsonPath.string_at(INPUT_PREFIX_PATH),
    )
    return tasks.TransformInput(
        transform_data_source=tasks.TransformDataSource(
            s3_data_source=tasks.TransformS3DataSource(s3_uri=uri, s3_data_type=tasks.S3DataType.S3_PREFIX)
        ),
        content_type=JsonPath.string_at("$.contentType"),
    )


def _transform_output(key: kms.IKey, bucket: s3.IBucket) -> tasks.TransformOutput:
    """Results go under batch-output/<model>/<job name>/ in the data bucket, encrypted with its key."""
    return tasks.TransformOutput(
        s3_output_path=JsonPath.format(
            f"s3://{bucket.bucket_name}/{BATCH_OUTPUT_PREFIX}{{}}/{{}}/",
            JsonPath.string_at(PACKAGE_MODEL_NAME),
            JsonPath.string_at("$.transformJobName"),
        ),
        encryption_key=key,
    )
