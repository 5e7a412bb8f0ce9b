"""DeploymentPipeline: registered model → staging endpoint → smoke test → approval → production → finalize."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Aspects, Stack
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_codepipeline_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_sns as sns
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_resource, in_regulatory_packs, role_policy
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.key_via_services import PIPELINE_KEY_SERVICES, KeyUseThroughServices
from mlops_constructs.stage_host import StageHost
from mlops_constructs.stage_roles import StageRoles
from mlops_contract.pipeline import (
    APPROVAL_ACTION,
    DEPLOY_ACTION,
    FINALIZE_ACTION,
    RESOLVE_ACTION,
    RESOLVED_PARAMETERS,
    SMOKE_TEST_ACTION,
    endpoint_name,
    endpoint_stack_name,
    pipeline_stage_name,
    resolve_namespace,
)

_ARTIFACT_ACTIONS = ("s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*")
_ALL_AT_ONCE = {"DeploymentStrategy": "ALL_AT_ONCE", "BakeSeconds": "0"}


@dataclass(frozen=True)
class PipelineStage:
    """One deployment stage: where it deploys, with which roles and platform-fixed blueprint parameters."""

    name: str
    roles: StageRoles
    approval_required: bool
    production: bool
    parameters: Mapping[str, str]  # blueprint parameters the platform fixes for this stage
    remote: StageHost | None = None  # set when the stage deploys into another account or region


@dataclass(frozen=True)
class PipelineSteps:
    """The functions a deployment pipeline invokes."""

    resolve: lambda_.IFunction  # binds each stage to the registration record of the package
    smoke_test: lambda_.IFunction | None  # None when every stage runs its own, in its account
    finalize: lambda_.IFunction


def variable(name: str) -> str:
    """CodePipeline's reference to a pipeline-level variable."""
    return f"#{{variables.{name}}}"


class DeploymentPipeline(Construct):
    """A CodePipeline V2 for one endpoint blueprint; started with the model's values as pipeline variables."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        template_file: str,
        blueprints: s3_assets.Asset,
        template_parameters: Sequence[str],
        variables: Mapping[str, str],
        stages: Sequence[PipelineStage],
        artifact_bucket: s3.IBucket,
        pipeline_role: iam.IRole,
        steps: PipelineSteps,
        topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self._source = codepipeline.Artifact("Blueprints")
        self._template_file, self._template_parameters = template_file, frozenset(template_parameters)
        self._model_variables = tuple(variables)
        self._steps, self._topic = steps, topic
        self._deploy_roles: dict[str, iam.IRole] = {}
        self.pipeline = self._pipeline(artifact_bucket, pipeline_role, variables)
        # One role for the source, approval and invoke actions instead of CDK's role per action, which
        # would trust the account root: only the pipelines' service role may assume it.
        self.actions_role = iam.Role(self, "ActionsRole", assumed_by=iam.ArnPrincipal(pipeline_role.role_arn))
        Aspects.of(self).add(KeyUseThroughServices(self.actions_role, PIPELINE_KEY_SERVICES))
        self._source_stage(blueprints)
        for stage in stages:
            self.pipeline.add_stage(
                stage_name=pipeline_stage_name(stage.name), actions=self._stage_actions(stage)
            )
        self._acknowledge_grants(artifact_bucket)
        self._let_read_executions("Finalize", steps.finalize)
        self._let_read_executions("Resolve", steps.resolve)

    def _pipeline(
        self, artifact_bucket: s3.IBucket, pipeline_role: iam.IRole, variables: Mapping[str, str]
    ) -> codepipeline.Pipeline:
        """The V2 pipeline: queued executions, the shared service role, the model's values as variables."""
        return codepipeline.Pipeline(
            self,
            "Pipeline",
            pipeline_type=codepipeline.PipelineType.V2,
            execution_mode=codepipeline.ExecutionMode.QUEUED,
            artifact_bucket=artifact_bucket,
            restart_execution_on_update=False,
            role=pipeline_role,
            variables=[codepipeline.Variable(variable_name=n, default_value=v) for n, v in variables.items()],
        )

    def _acknowledge_grants(self, artifact_bucket: s3.IBucket) -> None:
        """The pipeline's and the actions' policies: CDK's grants, each finding with its reason."""
        depend_on_policy_only(self.pipeline, self.pipeline.role)
        for role in (self.pipeline.role, self.actions_role):
            reasons = self._grant_reasons(artifact_bucket, invokes=role is self.actions_role)
            acknowledge(role_policy(role), reasons)

    def _source_stage(self, blueprints: s3_assets.Asset) -> None:
        """The blueprint templates, fetched only when an execution starts (no trigger on the asset)."""
        self.pipeline.add_stage(
            stage_name="Source",
            actions=[
                actions.S3SourceAction(
                    action_name="Blueprints",
                    bucket=blueprints.bucket,
                    bucket_key=blueprints.s3_object_key,
                    output=self._source,
                    trigger=actions.S3Trigger.NONE,
                    role=self.actions_role,
                )
            ],
        )

    def _let_read_executions(self, name: str, function: lambda_.IFunction) -> None:
        """Finalize and resolve read who approved in this pipeline's executions: a policy of its own, since
        the pipeline invokes the function (in the function's default policy it would be a cycle)."""
        assert function.role is not None
        reads = iam.Policy(
            self,
            f"{name}ReadsExecutions",
            roles=[function.role],
            statements=[
                iam.PolicyStatement(
                    actions=["codepipeline:ListActionExecutions"], resources=[self.pipeline.pipeline_arn]
                )
            ],
        )
        reason = (
            f"Bound one-to-one to the {name.lower()} function's role; separate to avoid a dependency cycle."
        )
        acknowledge(reads, in_regulatory_packs("IAMNoInlinePolicy", reason))

    def _grant_reasons(self, artifact_bucket: s3.IBucket, *, invokes: bool) -> dict[str, str]:
        artifacts = (
            "CodePipeline's standard grant on its own artifact bucket (read and write pipeline artifacts)."
        )
        reasons = {f"AwsSolutions-IAM5[Action::{action}]": artifacts for action in _ARTIFACT_ACTIONS}
        reasons[iam5_resource(artifact_bucket, "/*")] = artifacts
        reasons["AwsSolutions-IAM5[Action::kms:GenerateDataKey*]"] = (
            "Encrypts pipeline artifacts with the data key."
        )
        reasons["AwsSolutions-IAM5[Action::kms:ReEncrypt*]"] = (
            "Encrypts pipeline artifacts with the data key."
        )
        if invokes:  # only the actions role invokes the step functions
            reasons["AwsSolutions-IAM5[Resource::*]"] = (
                "lambda:ListFunctions, which the invoke action needs, has no resource."
            )
            for function in (self._steps.resolve, self._steps.smoke_test, self._steps.finalize):
                if function is None:
                    continue
                reasons[iam5_resource(function, ":*")] = (
                    "Invokes any version of the pipeline's own step function."
                )
        reasons.update(
            in_regulatory_packs("IAMNoInlinePolicy", "CDK-generated policy bound one-to-one to this role.")
        )
        return reasons

    def _stage_actions(self, stage: PipelineStage) -> list[codepipeline.IAction]:
        """Approve (where required), resolve the package, deploy, smoke test, finalize (production)."""
        steps: list[codepipeline.IAction] = []
        if stage.approval_required:
            steps.append(
                actions.ManualApprovalAction(
                    action_name=APPROVAL_ACTION,
                    notification_topic=self._topic,
                    run_order=1,
                    role=self.actions_role,
                    additional_information=f"Deploy {variable('ModelName')} {variable('ModelVersion')} "
                    f"to {stage.name}? Champion/challenger: {variable('Comparison')}",
                )
            )
        resolve = self._invoke(RESOLVE_ACTION, self._steps.resolve, stage, 2, resolve_namespace(stage.name))
        steps += [resolve, self._deploy(stage, resolve)]
        steps.append(self._smoke_test(stage))
        if stage.production:
            steps.append(self._invoke(FINALIZE_ACTION, self._steps.finalize, stage, 5))
        return steps

    def _smoke_test(self, stage: PipelineStage) -> actions.LambdaInvokeAction:
        """The tooling smoke test, or for a remote stage its own, invoked there through its deploy role."""
        if stage.remote is None:
            assert self._steps.smoke_test is not None, "a stage beside the tooling stack uses its smoke test"
            return self._invoke(SMOKE_TEST_ACTION, self._steps.smoke_test, stage, 4)
        return self._invoke(
            SMOKE_TEST_ACTION, stage.remote.smoke_test, stage, 4, role=self._deploy_role(stage)
        )

    def _deploy_role(self, stage: PipelineStage) -> iam.IRole:
        """The stage's deploy role as an immutable reference (see `_deploy`)."""
        node_id = f"{stage.name}DeployRole"
        if node_id not in self._deploy_roles:
            arn = stage.roles.deploy_role.role_arn
            if stage.remote:  # a literal account, so CDK sees which account the role is in
                role = Stack.of(stage.roles.deploy_role)
                arn = role.format_arn(
                    service="iam", region="", resource="role", resource_name=stage.roles.deploy_role.role_name
                )
            self._deploy_roles[node_id] = iam.Role.from_role_arn(self, node_id, arn, mutable=False)
        return self._deploy_roles[node_id]

    def _deploy(
        self, stage: PipelineStage, resolve: actions.LambdaInvokeAction
    ) -> actions.CloudFormationCreateUpdateStackAction:
        """Create or update the stage's endpoint stack from the blueprint, with the resolved package."""
        return actions.CloudFormationCreateUpdateStackAction(
            action_name=DEPLOY_ACTION,
            run_order=3,
            admin_permissions=False,
            stack_name=endpoint_stack_name(variable("ModelName"), stage.name),
            template_path=self._source.at_path(self._template_file),
            # Immutable references: CDK must not add its own grants, which it would scope to the
            # literal stack name '#{variables...}'; the stage roles carry explicit scoped permissions.
            role=self._deploy_role(stage),
            account=stage.remote.account if stage.remote else None,
            deployment_role=iam.Role.from_role_arn(
                self,
                f"{stage.name}CloudFormationRole",
                stage.roles.cloudformation_role.role_arn,
                mutable=False,
            ),
            parameter_overrides=self._parameters(stage, resolve),
            replace_on_failure=False,
        )

    def _parameters(self, stage: PipelineStage, resolve: actions.LambdaInvokeAction) -> dict[str, str]:
        from_model = {name: variable(name) for name in self._model_variables}
        from_model |= {name: resolve.variable(name) for name in RESOLVED_PARAMETERS}
        guardrails = {} if stage.production else _ALL_AT_ONCE
        fixed = {
            "StageName": stage.name,
            "ModelRoleBoundaryArn": stage.roles.model_role_boundary.managed_policy_arn,
            "ExecutionRoleArn": stage.roles.sagemaker_role.role_arn,  # Model Monitor jobs only
        }
        merged = {**from_model, **stage.parameters, **guardrails, **fixed}
        # Only what this blueprint declares: CloudFormation rejects unknown parameters.
        return {name: value for name, value in merged.items() if name in self._template_parameters}

    def _invoke(
        self,
        name: str,
        function: lambda_.IFunction,
        stage: PipelineStage,
        run_order: int,
        namespace: str | None = None,
        role: iam.IRole | None = None,
    ) -> actions.LambdaInvokeAction:
        parameters = {
            "endpoint_name": endpoint_name(variable("ModelName"), stage.name),
            "stage": stage.name,
            "model_name": variable("ModelName"),
            "model_version": variable("ModelVersion"),
            "model_package_arn": variable("ModelPackageArn"),
            "manifest_bucket": variable("ManifestBucket"),
            "manifest_key": variable("ManifestKey"),
            "execution_id": "#{codepipeline.PipelineExecutionId}",
            "approval_required": "true" if stage.approval_required else "false",
        }
        return actions.LambdaInvokeAction(
            action_name=name,
            lambda_=function,
            run_order=run_order,
            user_parameters_string=json.dumps(parameters),
            role=role or self.actions_role,
            variables_namespace=namespace,
        )
