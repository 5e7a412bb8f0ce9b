"""The deployment configuration schema, validated at synth time."""

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from mlops_config.adoption import AdoptionSettings
from mlops_config.delivery import GitSource, ImageBuilderSettings
from mlops_config.regions import region_problems

AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
_ROLE_ARN = r"^arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9_+=,.@/-]+$"
RoleArn = Annotated[str, StringConstraints(pattern=_ROLE_ARN, max_length=600)]
Region = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")]
SubnetId = Annotated[str, StringConstraints(pattern=r"^subnet-[0-9a-f]{8,17}$")]
SecurityGroupId = Annotated[str, StringConstraints(pattern=r"^sg-[0-9a-f]{8,17}$")]
StageName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,19}$")]
ProjectName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9]{0,29}$")]


_TAG_TEXT = re.compile(r"^[\w.:/=+\-@ ]*$")


def _tag_ok(key: str, value: str) -> bool:
    """AWS tagging rules for a key and its value."""
    texts_ok = all(_TAG_TEXT.match(text) for text in (key, value))
    return texts_ok and 0 < len(key) <= 128 and len(value) <= 256 and not key.lower().startswith("aws:")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompliancePack(StrEnum):
    """cdk-nag rule packs that can gate synthesis."""

    AWS_SOLUTIONS = "AwsSolutions"
    NIST_800_53_R5 = "NIST.800.53.R5"
    HIPAA_SECURITY = "HIPAA.Security"
    PCI_DSS_321 = "PCI.DSS.321"
    SERVERLESS = "Serverless"


class Environment(_Strict):
    """Where the tooling resources live; both empty means environment-agnostic (no credentials at synth)."""

    account: AccountId | None = None
    region: Region | None = None
    report_readers: tuple[RoleArn, ...] = Field(
        default=(),
        max_length=10,
        description="Roles of the tooling account (e.g. your SSO roles) that may read drift and quality "
        "reports in the stage accounts, through a read-only role there; empty: no such role.",
    )

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        if (self.account is None) != (self.region is None):
            raise ValueError("environment.account and environment.region go together: give both or neither")
        elsewhere = [arn for arn in self.report_readers if arn.split(":")[4] != self.account]
        if elsewhere:
            raise ValueError(
                f"environment.report_readers must be roles of the tooling account {self.account}; "
                f"not: {', '.join(elsewhere)}"
            )
        return self


class Stage(_Strict):
    """One deployment stage of the model pipeline, e.g. staging or production."""

    name: StageName
    account: AccountId | None = Field(default=None, description="Defaults to the tooling account.")
    region: Region | None = Field(default=None, description="Defaults to the tooling region.")
    approval_required: bool = Field(default=False, description="Pause for approval before this stage.")
    approve_in_registry: bool = Field(
        default=False,
        description="Approving (or rejecting) the model package in the SageMaker Model Registry also answers "
        "this stage's approval; only for the production stage.",
    )
    production: bool = False
    subnet_ids: tuple[SubnetId, ...] = Field(
        default=(), description="Private subnets for the stage's models; empty: no VPC.", max_length=16
    )
    security_group_ids: tuple[SecurityGroupId, ...] = Field(default=(), max_length=5)

    @model_validator(mode="after")
    def _vpc_pairs(self) -> Self:
        if bool(self.subnet_ids) != bool(self.security_group_ids):
            raise ValueError("subnet_ids and security_group_ids go together: give both or neither")
        return self


class Notifications(_Strict):
    """Who hears about registrations, rejections, deployments and drift."""

    emails: tuple[EmailStr, ...] = ()


class Registry(_Strict):
    """Limits and retention of the model registry."""

    max_artifact_mib: int = Field(default=5120, ge=1, le=51200)
    noncurrent_version_retention_days: int = Field(default=90, ge=1, le=3650)
    access_log_retention_days: int = Field(default=365, ge=1, le=3650)
    image_accounts: tuple[AccountId, ...] = Field(
        default=(),
        max_length=20,
        description="Accounts whose ECR images a manifest may name as image_uri and endpoints may pull, "
        "besides AWS's SageMaker image accounts for the region; any other account's image is refused at "
        "registration.",
    )


class MonitoringSettings(_Strict):
    """Optional monitoring beyond the orchestrator's own drift and model-quality checks."""

    sagemaker_model_monitor: bool = Field(
        default=False,
        description="Add SageMaker Model Monitor data-quality schedules to the endpoint blueprints, for "
        "accounts that still have Model Monitor; models opt in with a Model Monitor baseline.",
    )


# A spec file named relative to the repository root (segments checked below: no climbing out of it).
SpecPath = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._/-]{0,254}\.json$")]
S3Prefix = Annotated[str, StringConstraints(pattern=r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^/]+/)*$")]


class TrainingSettings(_Strict):
    """Training pipelines: the spec files (one pipeline each) and the S3 prefixes their specs may use."""

    specs: tuple[SpecPath, ...] = Field(min_length=1, max_length=50)
    allowed_prefixes: tuple[S3Prefix, ...] = Field(
        min_length=1, max_length=20, description="S3 prefixes (ending in '/') training specs may read."
    )

    @field_validator("specs")
    @classmethod
    def _inside_repository(cls, paths: tuple[str, ...]) -> tuple[str, ...]:
        climbing = [path for path in paths if {".", "..", ""} & set(path.split("/"))]
        if climbing:
            raise ValueError(
                f"spec paths are relative to the repository, without '.', '..' or '//': {climbing}"
            )
        return paths


class OrchestratorConfig(_Strict):
    """The whole deployment configuration."""

    project_name: ProjectName = "MlopsOrchestrator"
    environment: Environment = Environment()
    termination_protection: bool = True
    stages: tuple[Stage, ...] = Field(min_length=1)
    notifications: Notifications = Notifications()
    registry: Registry = Registry()
    monitoring: MonitoringSettings = MonitoringSettings()
    training: TrainingSettings | None = None  # None: no training pipelines
    adoption: AdoptionSettings | None = Field(
        default=None, description="Absent: only uploads and training runs are registered."
    )
    git: GitSource | None = Field(default=None, description="Absent: no Git-driven provisioning.")
    image_builder: ImageBuilderSettings | None = Field(
        default=None, description="Absent: no custom image builder."
    )
    compliance_packs: tuple[CompliancePack, ...] = (
        CompliancePack.AWS_SOLUTIONS,
        CompliancePack.NIST_800_53_R5,
        CompliancePack.HIPAA_SECURITY,
        CompliancePack.PCI_DSS_321,
    )
    tags: dict[str, str] = Field(default_factory=dict)

    @field_validator("tags")
    @classmethod
    def _taggable(cls, tags: dict[str, str]) -> dict[str, str]:
        # CloudFormation refuses the stack otherwise, after synthesis: say so before.
        bad = [key for key, value in tags.items() if not _tag_ok(key, value)]
        if bad:
            raise ValueError(
                f"tags {bad}: a key of 1-128 and a value of 0-256 letters, digits, spaces and "
                "_ . : / = + - @, the key not starting with 'aws:' (AWS reserves that prefix)"
            )
        return tags

    @field_validator("compliance_packs")
    @classmethod
    def _some_pack(cls, packs: tuple[CompliancePack, ...]) -> tuple[CompliancePack, ...]:
        # With no pack nothing gates synthesis, and the compliance report would have nothing to show.
        if not packs:
            names = ", ".join(pack.value for pack in CompliancePack)
            raise ValueError(f"must name at least one cdk-nag pack to gate synthesis (choose from {names})")
        return packs

    @model_validator(mode="after")
    def _check_stages(self) -> Self:
        names = [stage.name for stage in self.stages]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"stage names must be unique; repeated: {', '.join(duplicates)}")
        production = [stage.name for stage in self.stages if stage.production]
        if len(production) != 1:
            raise ValueError(f"exactly one stage must have production = true; found {production or 'none'}")
        if not self.stages[-1].production:
            raise ValueError("the production stage must be the last stage")
        misplaced = [
            s.name
            for s in self.stages
            if s.approve_in_registry and not (s.production and s.approval_required)
        ]
        if misplaced:
            raise ValueError(
                f"approve_in_registry needs the production stage with approval_required; set on {misplaced}"
            )
        return self

    @model_validator(mode="after")
    def _connection_region(self) -> Self:
        """CodePipeline uses a connection of its own region only."""
        region = self.git.connection_arn.split(":")[3] if self.git else None
        if region and self.environment.region and region != self.environment.region:
            raise ValueError(
                f"git.connection_arn is in {region} but the tooling region is {self.environment.region}: "
                "create the connection in the tooling region"
            )
        return self

    @model_validator(mode="after")
    def _check_placements(self) -> Self:
        """A stage placed in a named account or region needs an explicit tooling environment."""
        placed = [
            f"stages.{index}.{field} ({stage.name})"
            for index, stage in enumerate(self.stages)
            for field in ("account", "region")
            if getattr(stage, field) is not None
        ]
        if placed and self.environment.account is None:
            raise ValueError(
                f"{', '.join(placed)} need [environment] account and region: a deployment that places "
                "stages in named accounts or regions names the tooling account and region too"
            )
        placements = [
            (index, stage.name, stage.account, stage.region) for index, stage in enumerate(self.stages)
        ]
        problems = region_problems(self.environment.region, placements, self.registry.max_artifact_mib)
        if problems:
            raise ValueError("; ".join(problems))
        return self
