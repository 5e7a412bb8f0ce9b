"""Optional delivery settings: Git-driven provisioning and the custom image builder."""

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# CodeStar Connections was renamed CodeConnections; both ARN forms name the same kind of connection.
_CONNECTION_ARN = (
    r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d:"
    r"\d{12}:connection/[0-9a-f-]{36}$"
)
ConnectionArn = Annotated[str, StringConstraints(pattern=_CONNECTION_ARN)]
# owner/name as GitHub, GitLab (group/subgroup/name) and Bitbucket (workspace/name) spell repositories.
RepositoryId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", max_length=200)
]
BranchName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)*$")]
PathGlob = Annotated[str, StringConstraints(pattern=r"^[^\s/][^\s]{0,254}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GitSource(_Strict):
    """A repository of manifests watched through an AWS CodeConnections connection."""

    connection_arn: ConnectionArn = Field(
        description="The CodeConnections (or CodeStar Connections) connection to GitHub, GitLab or "
        "Bitbucket, "
        "created and approved in the console first."
    )
    repository: RepositoryId = Field(description='"owner/name" of the repository.')
    default_branch: BranchName = Field(default="main", description="Merges to this branch are pushed.")
    path_filters: tuple[PathGlob, ...] = Field(
        default=("models/**/manifest.json", "models/**/*.tar.gz", "images/**"),
        min_length=1,
        max_length=8,  # CodePipeline accepts at most 8 file-path globs per filter
        description="Changes to these paths (globs) start the pipelines; other commits are ignored.",
    )

    @field_validator("default_branch")
    @classmethod
    def _git_branch(cls, branch: str) -> str:
        # git refuses ".." in a ref name, and a name ending in .lock or "." (git check-ref-format).
        if ".." in branch or branch.endswith((".", ".lock")) or len(branch) > 100:
            raise ValueError("not a branch name git accepts (no '..', no trailing '.' or '.lock', <= 100)")
        return branch

    @field_validator("path_filters")
    @classmethod
    def _unique(cls, filters: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({glob for glob in filters if filters.count(glob) > 1})
        if repeated:
            raise ValueError(f"path filters must be unique; repeated: {', '.join(repeated)}")
        return filters


class Severity(StrEnum):
    """ECR scan severities a build can be failed at, most severe first."""

    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"

    def and_above(self) -> tuple["Severity", ...]:
        """This severity and every more severe one: the findings that fail a build."""
        ordered = tuple(Severity)
        return ordered[: ordered.index(self) + 1]


class ImageBuilderSettings(_Strict):
    """The custom image builder: build contexts become scanned images in a private ECR repository."""

    enabled: bool = True
    fail_on_severity: Severity = Field(
        default=Severity.HIGH, description="Findings at or above this severity fail the build."
    )
    keep_images: int = Field(default=50, ge=1, le=1000, description="Tagged images the repository keeps.")
