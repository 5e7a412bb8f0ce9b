"""BuildProject: a CodeBuild project, KMS-encrypted artifacts and logs, own role, buildspec from a file."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from aws_cdk import Duration, Stack
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_arn, in_regulatory_packs, role_policy
from mlops_constructs.local_bundling import REPO_ROOT
from mlops_constructs.orchestrator_function import audit_log_group

BUILDSPECS = REPO_ROOT / "buildspecs"
# Ubuntu 22.04, x86_64: SageMaker's general-purpose instances run x86_64 images.
BUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0
_FINISHED = ["SUCCEEDED", "FAILED", "STOPPED"]
_NO_REPOSITORY_CREDENTIAL = (
    "The project has no repository source of its own (CodePipeline hands it the checkout through a "
    "CodeConnections connection, or it reads an S3 object), so there is no OAuth or credential to configure."
)
_STANDARD_GRANTS = "CodeBuild's standard grant: the project's default log group and its report groups."


def load_buildspec(name: str) -> dict[str, Any]:
    """The buildspec file `buildspecs/<name>.yml` as a mapping."""
    loaded: dict[str, Any] = yaml.safe_load(Path(BUILDSPECS / f"{name}.yml").read_text(encoding="utf-8"))
    return loaded


def _build_environment(*, privileged: bool) -> codebuild.BuildEnvironment:
    """The managed image; docker builds get more memory."""
    return codebuild.BuildEnvironment(
        build_image=BUILD_IMAGE,
        compute_type=codebuild.ComputeType.MEDIUM if privileged else codebuild.ComputeType.SMALL,
        privileged=privileged,
    )


def _logs(log_group: logs.ILogGroup) -> codebuild.LoggingOptions:
    return codebuild.LoggingOptions(cloud_watch=codebuild.CloudWatchLoggingOptions(log_group=log_group))


def _variables(environment: Mapping[str, str]) -> dict[str, codebuild.BuildEnvironmentVariable]:
    return {name: codebuild.BuildEnvironmentVariable(value=value) for name, value in environment.items()}


class BuildProject(Construct):
    """A CodeBuild project from a buildspec under buildspecs/, inlined at synth (never read from a source)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        buildspec: str,
        description: str,
        encryption_key: kms.IKey,
        environment: Mapping[str, str],
        in_pipeline: bool = True,
        privileged: bool = False,
        timeout: Duration | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = audit_log_group(self, encryption_key)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("codebuild.amazonaws.com"))
        self.report_group: codebuild.ReportGroup | None = None
        self.project = (codebuild.PipelineProject if in_pipeline else codebuild.Project)(
            self,
            "Project",
            description=description,
            build_spec=self._spec(buildspec),
            encryption_key=encryption_key,
            role=self.role,
            timeout=timeout or Duration.minutes(30),
            environment=_build_environment(privileged=privileged),
            environment_variables=_variables(environment),
            logging=_logs(self.log_group),
        )
        self._acknowledge_source()

    def _spec(self, name: str) -> codebuild.BuildSpec:
        spec = load_buildspec(name)
        if "reports" in spec:  # CodeBuild would otherwise create report groups outside CloudFormation
            spec["reports"] = self._report_groups(spec["reports"])
        return codebuild.BuildSpec.from_object(spec)

    def _acknowledge_source(self) -> None:
        packs = ("HIPAA.Security", "PCI.DSS.321")
        acknowledge(
            self.project,
            in_regulatory_packs("CodeBuildProjectSourceRepoUrl", _NO_REPOSITORY_CREDENTIAL, packs),
        )

    def _report_groups(self, reports: Mapping[str, Any]) -> dict[str, Any]:
        """The buildspec's one report, in a report group of this stack (results stay in CodeBuild)."""
        if len(reports) != 1:
            raise ValueError(f"{self.node.path}: one report per buildspec, found {list(reports)}")
        ((name, report),) = reports.items()
        self.report_group = codebuild.ReportGroup(self, f"{name.capitalize()}Reports")
        return {self.report_group.report_group_arn: report}

    def notify(self, topic: sns.ITopic, what: str) -> events.Rule:
        """Tell the project's topic when a build of this project succeeds, fails or is stopped."""
        status = events.EventField.from_path("$.detail.build-status")
        link = events.EventField.from_path("$.detail.additional-information.logs.deep-link")
        return events.Rule(
            self,
            "Finished",
            description=f"{what}: build finished",
            event_pattern=events.EventPattern(
                source=["aws.codebuild"],
                detail_type=["CodeBuild Build State Change"],
                detail={"project-name": [self.project.project_name], "build-status": _FINISHED},
            ),
            targets=[
                targets.SnsTopic(
                    topic, message=events.RuleTargetInput.from_text(f"{what}: build {status}. Logs: {link}")
                )
            ],
        )

    def acknowledge_policy(self, rules: Mapping[str, str]) -> None:
        """Acknowledge findings on the project role's policy, each with its reason."""
        reason = "CDK-generated policy bound one-to-one to this project's role."
        project = f"<{Stack.of(self).get_logical_id(self.project.node.default_child)}>"  # type: ignore[arg-type]
        standard = {
            iam5_arn("logs", f"log-group:/aws/codebuild/{project}:*"): _STANDARD_GRANTS,
            iam5_arn("codebuild", f"report-group/{project}-*"): _STANDARD_GRANTS,
        }
        acknowledge(
            role_policy(self.role), {**standard, **rules, **in_regulatory_packs("IAMNoInlinePolicy", reason)}
        )
