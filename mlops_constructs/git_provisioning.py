"""GitProvisioning: a repository of manifests, through a CodeConnections connection, feeds the registry.

Two CodePipeline V2 pipelines on the same connection (CodeCommit is never involved): pull requests into
the default branch run `mlops validate` on the manifests they change, and report the result as a CodeBuild
test report and the pipeline execution's status; merges to the default branch publish the new versions to
the registry bucket. Two pipelines rather than one keep the pull-request side (code anyone may propose)
without write access to the registry, and a fork's branch can never reach the publish step.
"""

from collections.abc import Sequence

from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_codepipeline_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from mlops_config.delivery import GitSource
from mlops_constructs.acknowledge import acknowledge, iam5_resource, in_regulatory_packs, role_policy
from mlops_constructs.build_project import BuildProject
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.local_bundling import package_asset
from mlops_constructs.model_registry import ModelRegistry
from mlops_contract.image_contexts import IMAGES_PREFIX

# What `python -m mlops_cli.git_cmd` imports, and the pinned requirements it installs (buildspecs/).
CLI_PACKAGES = ("mlops_cli", "mlops_manifest", "mlops_contract", "lambdas/common", "buildspecs")
_PUBLISHED = ("models/*", f"{IMAGES_PREFIX}*")
_ARTIFACTS = "CodePipeline's and CodeBuild's standard grant on the pipelines' own artifact bucket."


class GitProvisioning(Construct):
    """The pull-request and merge pipelines of one Git repository of manifests."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        git: GitSource,
        registry: ModelRegistry,
        image_accounts: Sequence[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self._git, self._registry = git, registry
        self.artifact_bucket = registry.pipeline_artifacts(self, "Artifacts")
        self._builds(image_accounts)
        self.pull_requests = self._pipeline("PullRequests", "Validate", self.validation, pull_requests=True)
        self.merges = self._pipeline("Merges", "Publish", self.publishing, pull_requests=False)
        self._notify_failures()
        self._acknowledge()

    def _builds(self, image_accounts: Sequence[str]) -> None:
        """The validation and publication projects, both running the CLI packaged with the stack."""
        git, registry = self._git, self._registry
        cli = package_asset(self, "Cli", CLI_PACKAGES)
        environment = {
            "MLOPS_CLI_SOURCE": cli.s3_object_url,
            "MLOPS_GIT_PATH_FILTERS": ",".join(git.path_filters),
            "MLOPS_IMAGE_ACCOUNTS": ",".join(image_accounts),
        }
        self.validation = BuildProject(
            self,
            "Validate",
            buildspec="git-validate",
            description=f"mlops validate on the manifests a pull request to {git.repository} changes",
            encryption_key=registry.encryption_key,
            environment={**environment, "MLOPS_GIT_BASE_BRANCH": git.default_branch},
        )
        self.publishing = BuildProject(
            self,
            "Publish",
            buildspec="git-publish",
            description=f"Publishes model versions merged to {git.repository}@{git.default_branch}",
            encryption_key=registry.encryption_key,
            environment={**environment, "MLOPS_REGISTRY_BUCKET": registry.registry_bucket.bucket_name},
        )
        self._grant(cli)

    def _grant(self, cli: s3_assets.Asset) -> None:
        """Both read the CLI and clone through the connection; only publication writes the registry."""
        for build in (self.validation, self.publishing):
            # The CLI's own object only (an asset grant would cover the whole bootstrap bucket).
            build.role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["s3:GetObject"], resources=[cli.bucket.arn_for_objects(cli.s3_object_key)]
                )
            )
            self._use_connection(build.role)
        for prefix in _PUBLISHED:
            self._registry.registry_bucket.grant_read(self.publishing.role, prefix)
            self._registry.registry_bucket.grant_put(self.publishing.role, prefix)

    def _pipeline(
        self, construct_id: str, stage: str, build: BuildProject, *, pull_requests: bool
    ) -> codepipeline.Pipeline:
        """A V2 pipeline: the repository (full clone, for git history), then one CodeBuild action."""
        source = codepipeline.Artifact("Repository")
        role, actions_role = self._roles(construct_id)
        checkout = self._checkout(source, actions_role)
        run = actions.CodeBuildAction(
            action_name=stage, project=build.project, input=source, role=actions_role
        )
        pipeline = codepipeline.Pipeline(
            self,
            construct_id,
            pipeline_type=codepipeline.PipelineType.V2,
            execution_mode=codepipeline.ExecutionMode.QUEUED,
            artifact_bucket=self.artifact_bucket,
            restart_execution_on_update=False,
            role=role,
            stages=[
                codepipeline.StageProps(stage_name="Source", actions=[checkout]),
                codepipeline.StageProps(stage_name=stage, actions=[run]),
            ],
            triggers=[self._trigger(checkout, pull_requests=pull_requests)],
        )
        depend_on_policy_only(pipeline, role)  # the GetAtt of the role already orders them (cfn-lint W3005)
        self._acknowledge_roles(role, actions_role)
        return pipeline

    def _acknowledge_roles(self, *roles: iam.Role) -> None:
        reason = "CDK-generated policy bound one-to-one to this pipeline's role."
        reasons = {
            **_artifact_reasons(self.artifact_bucket),
            **in_regulatory_packs("IAMNoInlinePolicy", reason),
        }
        for role in roles:
            acknowledge(role_policy(role), reasons)

    def _checkout(
        self, source: codepipeline.Artifact, role: iam.IRole
    ) -> actions.CodeStarConnectionsSourceAction:
        """The default branch through the connection, as a full clone (git log names each author)."""
        owner, _, name = self._git.repository.rpartition("/")
        return actions.CodeStarConnectionsSourceAction(
            action_name="Repository",
            connection_arn=self._git.connection_arn,
            owner=owner,
            repo=name,
            branch=self._git.default_branch,
            output=source,
            code_build_clone_output=True,
            role=role,
        )

    def _roles(self, construct_id: str) -> tuple[iam.Role, iam.Role]:
        """The pipeline's service role, and one role for its actions that only the pipeline may assume
        (instead of CDK's role per action, which would trust the account root)."""
        service = iam.ServicePrincipal("codepipeline.amazonaws.com")
        role = iam.Role(self, f"{construct_id}Role", assumed_by=service)
        return role, iam.Role(self, f"{construct_id}ActionsRole", assumed_by=iam.ArnPrincipal(role.role_arn))

    def _trigger(
        self, checkout: actions.CodeStarConnectionsSourceAction, *, pull_requests: bool
    ) -> codepipeline.TriggerProps:
        """Pull requests opened or updated against, or pushes to, the default branch, on the path globs."""
        branches, paths = [self._git.default_branch], list(self._git.path_filters)
        git = codepipeline.GitConfiguration(
            source_action=checkout,
            pull_request_filter=[
                codepipeline.GitPullRequestFilter(
                    branches_includes=branches,
                    file_paths_includes=paths,
                    events=[codepipeline.GitPullRequestEvent.OPEN, codepipeline.GitPullRequestEvent.UPDATED],
                )
            ]
            if pull_requests
            else None,
            push_filter=None
            if pull_requests
            else [codepipeline.GitPushFilter(branches_includes=branches, file_paths_includes=paths)],
        )
        return codepipeline.TriggerProps(
            provider_type=codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION, git_configuration=git
        )

    def _use_connection(self, role: iam.IRole) -> None:
        """The full clone fetches through the connection (either service prefix, as the ARN's)."""
        service = self._git.connection_arn.split(":")[2]
        actions_ = [f"{service}:UseConnection", "codestar-connections:UseConnection"]
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=sorted(set(actions_)), resources=[self._git.connection_arn])
        )

    def _notify_failures(self) -> None:
        """A failed validation or publication tells the project's topic which pipeline and execution."""
        for pipeline in (self.pull_requests, self.merges):
            name = events.EventField.from_path("$.detail.pipeline")
            execution = events.EventField.from_path("$.detail.execution-id")
            pipeline.on_state_change(
                "Failed",
                description="A Git provisioning pipeline execution failed",
                event_pattern=events.EventPattern(detail={"state": ["FAILED"]}),
                target=targets.SnsTopic(
                    self._registry.notifications,
                    message=events.RuleTargetInput.from_text(
                        f"Git provisioning: {name} execution {execution} failed; its CodeBuild report and "
                        "logs name each problem."
                    ),
                ),
            )

    def _acknowledge(self) -> None:
        bucket = self._registry.registry_bucket
        self.publishing.acknowledge_policy(
            {
                iam5_resource(bucket, "/models/*"): "Publishes model versions under models/ only.",
                iam5_resource(bucket, f"/{IMAGES_PREFIX}*"): "Uploads image build contexts under images/.",
                **_artifact_reasons(self.artifact_bucket, (*_READS, "s3:Abort*")),
            }
        )
        self.validation.acknowledge_policy(_artifact_reasons(self.artifact_bucket, _READS))


_READS = ("s3:GetObject*", "s3:GetBucket*", "s3:List*")


def _artifact_reasons(
    artifact_bucket: s3.IBucket, actions_: tuple[str, ...] = (*_READS, "s3:DeleteObject*", "s3:Abort*")
) -> dict[str, str]:
    reasons = {f"AwsSolutions-IAM5[Action::{action}]": _ARTIFACTS for action in actions_}
    reasons[iam5_resource(artifact_bucket, "/*")] = _ARTIFACTS
    for action in ("kms:GenerateDataKey*", "kms:ReEncrypt*"):
        reasons[f"AwsSolutions-IAM5[Action::{action}]"] = "Encrypts pipeline artifacts with the data key."
    return reasons
