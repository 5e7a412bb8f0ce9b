"""TrainingPipeline: one state machine per training spec, from Prepare to a published model version.

Prepare -> (skip: notify, succeed) -> train or tune (.sync) -> network-isolated evaluation model -> batch
transform of the held-out features (.sync) -> delete the model -> Evaluate -> Publish (the manifest last, so
the register function takes it from there) -> notify. Failures and stopped runs notify and fail.
"""

import json
from typing import Any

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from lambdas.training_run.runs import JOBS_FOLDER
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.automl_states import AutoMLStates
from mlops_constructs.batch_model_steps import delete_created_model
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import audit_log_group
from mlops_constructs.service_trust import pass_role_statement
from mlops_constructs.training_job_states import JobPlacement, training_state
from mlops_constructs.training_notices import notify
from mlops_constructs.training_roles import grant_job_control, reports_prefix, training_job_role
from mlops_training.job import AutoMLJob
from mlops_training.spec import TrainingSpec

JsonPath = sfn.JsonPath
# The held-out features are scored on one instance of this type (CDK adds the "ml." prefix).
EVALUATION_INSTANCE = "m5.xlarge"
_SAGEMAKER_RETRIED = ["SageMaker.AmazonSageMakerException", "SageMaker.ResourceLimitExceededException"]
_MODEL = "$.evaluationModel"
_REASONS = {
    "AwsSolutions-IAM5[Resource::*]": "Granted by CDK for the state machine itself: X-Ray tracing and "
    "CloudWatch Logs delivery actions, which support no resource-level permissions, and sagemaker:ListTags "
    "used by the .sync transform integration.",
    iam5_arn("sagemaker", "transform-job/*"): "Transform job names come from the run; the .sync integration "
    "needs Describe/Stop on the job it creates, which only a name pattern can express.",
    iam5_arn("sagemaker", "model/*"): "The evaluation model is named after each run and deleted at its end.",
    **in_regulatory_packs(
        "IAMNoInlinePolicy", "The policy belongs to exactly one role (the state machine's)."
    ),
}


class TrainingPipeline(Construct):
    """One spec's state machine and the SageMaker role its jobs run with."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        spec: TrainingSpec,
        spec_text: str,
        steps: lambda_.Function,
        image_accounts: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        registry = core.registry
        self._core, self._spec, self._steps = core, spec, steps
        self._automl = isinstance(spec.job, AutoMLJob)
        self._spec_text = json.dumps(json.loads(spec_text), separators=(",", ":"))  # compact, not a JSON path
        self.job_role = training_job_role(
            self,
            spec=spec,
            reports=registry.reports_bucket,
            key=registry.encryption_key,
            image_accounts=image_accounts,
        )
        self.log_group = audit_log_group(self, registry.encryption_key)
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(self._definition()),
            timeout=Duration.days(30),  # spot waits, tuning and AutoML take long; SageMaker stops each job
            tracing_enabled=True,
            logs=sfn.LogOptions(
                destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False
            ),
            encryption_configuration=sfn.CustomerManagedEncryptionConfiguration(registry.encryption_key),
        )
        depend_on_policy_only(self.state_machine, self.state_machine.role)
        findings = grant_job_control(self.state_machine.role, spec=spec, job_role=self.job_role)
        findings[iam5_resource(steps, ":*")] = "CDK's Lambda invoke grant also names the function's versions."
        acknowledge(self.state_machine.role.node.find_child("DefaultPolicy"), _REASONS | findings)

    def _definition(self) -> sfn.IChainable:
        """Prepare, then skip or run; a failure after Prepare cleans up, is recorded, notifies and fails."""
        failed = self._failure_path()
        published = self._notice("NotifyPublished", "published").next(sfn.Succeed(self, "Published"))
        candidate = {"candidate": JsonPath.object_at("$.trained")} if self._automl else {}
        publish = self._step("Publish", "publish", "$.published", {
            "run": JsonPath.object_at("$.run"), "trainedJobName": JsonPath.string_at("$.trained.jobName"),
            "artifactUri": JsonPath.string_at("$.trained.artifactUri"),
            "evaluation": JsonPath.object_at("$.evaluation"), "executionArn": JsonPath.execution_id,
            **candidate,
        })  # fmt: skip
        cause = "Below the threshold or worse than the champion"
        gate_failed = sfn.Fail(self, "Stopped", error="EvaluationGate", cause=cause)
        stopped = self._notice("NotifyStopped", "stopped").next(gate_failed)
        gate = (
            sfn.Choice(self, "PassedEvaluation")
            .when(sfn.Condition.boolean_equals("$.evaluation.proceed", True), publish.next(published))
            .otherwise(stopped)
        )
        evaluate = self._step("Evaluate", "evaluate", "$.evaluation", {"run": JsonPath.object_at("$.run")})
        scored = self._delete_model("DeleteEvaluationModel", evaluate.next(gate))
        chain = self._trained(failed).next(self._create_model()).next(self._transform())
        for task in (*self._catchable, publish, evaluate):
            task.add_catch(failed, errors=[sfn.Errors.ALL], result_path="$.error")
        return self._prepare(chain, scored)

    def _prepare(self, chain: sfn.Chain, scored: sfn.IChainable) -> sfn.IChainable:
        """The first state: Prepare decides; a skipped run notifies and succeeds as "Skipped"."""
        prepare = self._step("Prepare", "prepare", "$.run", {
            "input": JsonPath.object_at("$$.Execution.Input"), "executionArn": JsonPath.execution_id,
        })  # fmt: skip
        prepare.add_catch(
            self._notice("NotifyPrepareFailed", "failed").next(
                sfn.Fail(self, "NotPrepared", error="PrepareFailed")
            ),
            errors=[sfn.Errors.ALL],
            result_path="$.error",
        )
        skipped = self._notice("NotifySkipped", "skipped").next(sfn.Succeed(self, "Skipped"))
        decide = sfn.Choice(self, "RunOrSkip").when(
            sfn.Condition.string_equals("$.run.decision", "skip"), skipped
        )
        return prepare.next(decide.otherwise(chain.next(scored)))

    def _placement(self) -> JobPlacement:
        """Jobs run with the job role and write under training/<model>/jobs/ in the reports bucket."""
        registry = self._core.registry
        return JobPlacement(
            role_arn=self.job_role.role_arn,
            output_uri=f"s3://{registry.reports_bucket.bucket_name}/{reports_prefix(self._spec)}{JOBS_FOLDER}/",
            key_arn=registry.encryption_key.key_arn,
        )

    def _trained(self, failed: sfn.IChainable) -> sfn.Chain:
        """The states that leave the trained model in $.trained: AutoML's loop, or a job and its artifact."""
        if not self._automl:
            return sfn.Chain.start(self._train()).next(self._locate_artifact())
        job = {"job": JsonPath.object_at("$.automl")}  # DescribeAutoMLJobV2's answer
        candidate = self._step("BestCandidate", "candidate", "$.trained", job)
        states = AutoMLStates(
            self, "AutoML", spec=self._spec, placement=self._placement(), candidate=candidate, failed=failed
        )
        self._catchable: list[Any] = [*states.catchable, candidate]
        return states.chain

    def _train(self) -> sfn.CustomState:
        """The training (or tuning) job."""
        train = training_state(self, self._spec, self._placement())
        train.add_retry(
            errors=_SAGEMAKER_RETRIED, interval=Duration.seconds(30), max_attempts=3, backoff_rate=2
        )
        self._catchable = [train]
        return train

    def _locate_artifact(self) -> sfn.Pass:
        """SageMaker writes <output path>/<job name>/output/model.tar.gz: the (best) job's artifact."""
        bucket = self._core.registry.reports_bucket.bucket_name
        where = f"s3://{bucket}/{reports_prefix(self._spec)}{JOBS_FOLDER}/{{}}/output/model.tar.gz"
        return sfn.Pass(
            self,
            "LocateArtifact",
            parameters={
                "jobName": JsonPath.string_at("$.trained.jobName"),
                "artifactUri": JsonPath.format(where, JsonPath.string_at("$.trained.jobName")),
            },
            result_path="$.trained",
        )

    def _create_model(self) -> tasks.CallAwsService:
        """A network-isolated model of the trained artifact, only for scoring the held-out data.

        A plain API call: CDK's typed task would grant the job role S3 and ECR reads on every resource.
        """
        models = Stack.of(self).format_arn(
            service="sagemaker", resource="model", resource_name="*", arn_format=ArnFormat.SLASH_RESOURCE_NAME
        )
        container = {
            # An AutoML candidate brings its own serving image and environment; a job's image serves it.
            "Image": JsonPath.string_at("$.trained.imageUri" if self._automl else "$.run.imageUri"),
            "ModelDataUrl": JsonPath.string_at("$.trained.artifactUri"),
            **({"Environment": JsonPath.object_at("$.trained.environment")} if self._automl else {}),
        }
        create = tasks.CallAwsService(
            self,
            "CreateEvaluationModel",
            service="sagemaker",
            action="createModel",
            parameters={
                "ModelName": JsonPath.string_at("$.run.evaluationModelName"),
                "ExecutionRoleArn": self.job_role.role_arn,
                "PrimaryContainer": container,
                "EnableNetworkIsolation": True,
            },
            iam_resources=[models],
            additional_iam_statements=[pass_role_statement(self.job_role.role_arn)],
            result_path=_MODEL,
        )
        self._catchable.append(create)
        return create

    def _transform(self) -> tasks.SageMakerCreateTransformJob:
        """Score the held-out features Prepare wrote; one prediction line per row."""
        transform = tasks.SageMakerCreateTransformJob(
            self,
            "ScoreHeldOut",
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            transform_job_name=JsonPath.string_at("$.run.runName"),
            model_name=JsonPath.string_at("$.run.evaluationModelName"),
            role=self.job_role,
            transform_input=tasks.TransformInput(
                transform_data_source=tasks.TransformDataSource(
                    s3_data_source=tasks.TransformS3DataSource(
                        s3_uri=JsonPath.string_at("$.run.evaluationInputUri"),
                        s3_data_type=tasks.S3DataType.S3_PREFIX,
                    )
                ),
                content_type="text/csv",
                split_type=tasks.SplitType.LINE,
            ),
            transform_output=tasks.TransformOutput(
                s3_output_path=JsonPath.string_at("$.run.evaluationOutputUri"),
                assemble_with=tasks.AssembleWith.LINE,
                encryption_key=self._core.registry.encryption_key,
            ),
            transform_resources=tasks.TransformResources(
                instance_type=ec2.InstanceType(EVALUATION_INSTANCE),
                instance_count=1,
                volume_encryption_key=self._core.registry.encryption_key,
            ),
            result_path=JsonPath.DISCARD,
        )
        transform.add_retry(
            errors=_SAGEMAKER_RETRIED, interval=Duration.seconds(30), max_attempts=3, backoff_rate=2
        )
        self._catchable.append(transform)
        return transform

    def _delete_model(self, construct_id: str, then: sfn.IChainable) -> sfn.Choice:
        """Delete the evaluation model when it was created; a failed deletion is reported, not fatal."""
        return delete_created_model(
            self,
            construct_id,
            then,
            model_name_path="$.run.evaluationModelName",
            created_path=_MODEL,
            task_suffix="Call",
        )

    def _failure_path(self) -> sfn.IChainable:
        """Clean up, record the failure in the run history, notify, fail."""
        notice = self._notice("NotifyFailed", "failed").next(
            sfn.Fail(self, "RunFailed", error="TrainingRunFailed")
        )
        record = self._step("RecordFailure", "fail", JsonPath.DISCARD, {
            "run": JsonPath.object_at("$.run"), "error": JsonPath.object_at("$.error"),
        })  # fmt: skip
        record.add_catch(notice, errors=[sfn.Errors.ALL], result_path="$.recordError")
        return self._delete_model("CleanUpAfterFailure", record.next(notice))

    def _step(
        self, construct_id: str, action: str, result_path: str, fields: dict[str, Any]
    ) -> tasks.LambdaInvoke:
        """A call of the steps function with this pipeline's spec."""
        payload = {"action": action, "spec": self._spec_text, **fields}
        return tasks.LambdaInvoke(
            self,
            construct_id,
            lambda_function=self._steps,
            payload=sfn.TaskInput.from_object(payload),
            payload_response_only=True,
            result_path=result_path,
        )

    def _notice(self, construct_id: str, outcome: str) -> tasks.SnsPublish:
        return notify(
            self,
            construct_id,
            topic=self._core.registry.notifications,
            model_name=self._spec.model_name,
            outcome=outcome,
        )
