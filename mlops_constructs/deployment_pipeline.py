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

from mlops_constructs.acknowledge import acknowledge, role_policy
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.key_via_services import PIPELINE_KEY_SERVICES, KeyUseThroughServices
from mlops_constructs.pipeline_policies import grant_reasons, let_read_executions
from mlops_constructs.stage_host import StageHost
from mlops_constructs.stage_roles import StageRoles
from mlops_contract.pipeline import (
    APPROVAL_ACTION,
    COPY_ACTION,
    DEPLOY_ACTION,
    FINALIZE_ACTION,
    RESOLVE_ACTION,
    RESOLVED_PARAMETERS,
    SMOKE_TEST_ACTION,
    copy_namespace,
    endpoint_name,
    endpoint_stack_name,
    pipeline_stage_name,
    resolve_namespace,
)

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
        artifact_stores: Mapping[str, s3.IBucket] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._source = codepipeline.Artifact("Blueprints")
        self._template_file, self._template_parameters = template_file, frozenset(template_parameters)
        self._model_variables = tuple(variables)
        self._steps, self._topic = steps, topic
        self._deploy_roles: dict[str, iam.IRole] = {}
        self.pipeline = self._pipeline(artifact_bucket, pipeline_role, variables, artifact_stores)
        # One role for the source, approval and invoke actions instead of CDK's role per action, which
        # would trust the account root: only the pipelines' service role may assume it.
        self.actions_role = iam.Role(self, "ActionsRole", assumed_by=iam.ArnPrincipal(pipeline_role.role_arn))
        Aspects.of(self).add(KeyUseThroughServices(self.actions_role, PIPELINE_KEY_SERVICES))
        self._source_stage(blueprints)
        for stage in stages:
            self.pipeline.add_stage(
                stage_name=pipeline_stage_name(stage.name), actions=self._stage_actions(stage)
            )
        self._acknowledge_grants([artifact_bucket, *(artifact_stores or {}).values()])
        for name, function in (("Finalize", steps.finalize), ("Resolve", steps.resolve)):
            let_read_executions(self, name, function, self.pipeline)

    def _pipeline(
        self,
        artifact_bucket: s3.IBucket,
        pipeline_role: iam.IRole,
        variables: Mapping[str, str],
        artifact_stores: Mapping[str, s3.IBucket] | None,
    ) -> codepipeline.Pipeline:
        """The V2 pipeline: queued executions, the shared service role, the model's values as variables;
        our own artifact store in each other stage region (never CDK's generated support stacks)."""
        # CDK takes the pipeline region's store from the same map when there are several.
        stores = {Stack.of(self).region: artifact_bucket, **artifact_stores} if artifact_stores else None
        return codepipeline.Pipeline(
            self,
            "Pipeline",
            pipeline_type=codepipeline.PipelineType.V2,
            execution_mode=codepipeline.ExecutionMode.QUEUED,
            artifact_bucket=None if stores else artifact_bucket,
            cross_region_replication_buckets=stores,
            restart_execution_on_update=False,
            role=pipeline_role,
            variables=[codepipeline.Variable(variable_name=n, default_value=v) for n, v in variables.items()],
        )

    def _acknowledge_grants(self, artifact_buckets: list[s3.IBucket]) -> None:
        """The pipeline's and the actions' policies: CDK's grants, each finding with its reason."""
        depend_on_policy_only(self.pipeline, self.pipeline.role)
        steps = self._steps
        invoked = [f for f in (steps.resolve, steps.smoke_test, steps.finalize) if f is not None]
        for role in (self.pipeline.role, self.actions_role):
            # Only the actions role invokes them; only the pipeline role uses the other regions' stores.
            invokes = invoked if role is self.actions_role else []
            stores = artifact_buckets[:1] if role is self.actions_role else artifact_buckets
            acknowledge(role_policy(role), grant_reasons(self, stores, invokes))

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
        steps.append(resolve)
        resolved, later = resolve, 0  # a copy into the stage's region moves the later actions one on
        if stage.remote and stage.remote.artifact_copy:
            resolved, later = self._copy(stage, stage.remote.artifact_copy, resolve), 1
            steps.append(resolved)
        steps += [self._deploy(stage, resolve, resolved, 3 + later), self._smoke_test(stage, 4 + later)]
        if stage.production:
            steps.append(self._invoke(FINALIZE_ACTION, self._steps.finalize, stage, 5 + later))
        return steps

    def _copy(
        self, stage: PipelineStage, function: lambda_.IFunction, resolve: actions.LambdaInvokeAction
    ) -> actions.LambdaInvokeAction:
        """Copy the resolved artifact into the stage's region, and name its image there (in the stage)."""
        resolved = {name: resolve.variable(name) for name in ("ModelDataUrl", "ImageUri")}
        return self._invoke(
            COPY_ACTION,
            function,
            stage,
            3,
            copy_namespace(stage.name),
            role=self._deploy_role(stage),
            extra={"model_data_url": resolved["ModelDataUrl"], "image_uri": resolved["ImageUri"]},
        )

    def _smoke_test(self, stage: PipelineStage, run_order: int) -> actions.LambdaInvokeAction:
        """The tooling smoke test, or for a remote stage its own, invoked there through its deploy role."""
        if stage.remote is None:
            assert self._steps.smoke_test is not None, "a stage beside the tooling stack uses its smoke test"
            return self._invoke(SMOKE_TEST_ACTION, self._steps.smoke_test, stage, run_order)
        return self._invoke(
            SMOKE_TEST_ACTION, stage.remote.smoke_test, stage, run_order, role=self._deploy_role(stage)
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
        self,
        stage: PipelineStage,
        resolve: actions.LambdaInvokeAction,
        located: actions.LambdaInvokeAction,
        run_order: int,
    ) -> actions.CloudFormationCreateUpdateStackAction:
        """Create or update the stage's endpoint stack from the blueprint, with the resolved package (its
        image and artifact as `located` in the stage's region: the resolve action itself, or the copy)."""
        home = Stack.of(self).region
        elsewhere = stage.remote.region if stage.remote and stage.remote.region != home else None
        return actions.CloudFormationCreateUpdateStackAction(
            action_name=DEPLOY_ACTION,
            run_order=run_order,
            region=elsewhere,
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
            parameter_overrides=self._parameters(stage, resolve, located),
            replace_on_failure=False,
        )

    def _parameters(
        self, stage: PipelineStage, resolve: actions.LambdaInvokeAction, located: actions.LambdaInvokeAction
    ) -> dict[str, str]:
        from_model = {name: variable(name) for name in self._model_variables}
        from_model |= {name: resolve.variable(name) for name in RESOLVED_PARAMETERS}
        from_model |= {name: located.variable(name) for name in ("ImageUri", "ModelDataUrl")}
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
        extra: Mapping[str, str] | None = None,
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
            **(extra or {}),
        }
        return actions.LambdaInvokeAction(
            action_name=name,
            lambda_=function,
            run_order=run_order,
            user_parameters_string=json.dumps(parameters),
            role=role or self.actions_role,
            variables_namespace=namespace,
        )
