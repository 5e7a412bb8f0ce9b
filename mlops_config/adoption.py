"""Optional adoption of packages registered elsewhere: which model package groups feed the registry."""

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from mlops_manifest.base import ModelName
from mlops_manifest.manifest import Owner, Serving

# SageMaker's ModelPackageGroupName: 1-63 letters, digits and single hyphens.
PackageGroupName = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
BucketName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdoptedGroup(_Strict):
    """One model package group whose new packages are registered as versions of one of our models."""

    package_group: PackageGroupName = Field(description="The group a team's own pipeline registers into.")
    model_name: ModelName = Field(description="The model in this registry that its packages become.")
    owner: Owner = Field(description="Who answers for the model (the manifest's owner).")
    serving: Serving = Field(
        default_factory=Serving, description="The manifest's serving sections (defaults as for an upload)."
    )

    @model_validator(mode="after")
    def _not_its_own_source(self) -> Self:
        # Registration creates packages in the group named after the model: that group cannot be a source.
        if self.package_group == self.model_name:
            raise ValueError(
                f"model_name {self.model_name!r} equals package_group: registering would feed the group it "
                "adopts from; name the model differently"
            )
        return self


class AdoptionSettings(_Strict):
    """Packages registered elsewhere, adopted through the register function with every check of an upload."""

    artifact_buckets: tuple[BucketName, ...] = Field(
        min_length=1,
        max_length=20,
        description="Buckets an adopted package's model.tar.gz may lie in (read-only; nowhere else).",
    )
    groups: tuple[AdoptedGroup, ...] = Field(default=(), max_length=50)
    by_tag: bool = Field(
        default=False,
        description="Also adopt groups tagged mlops:adopt-as=<model> and mlops:owner=<owner>.",
    )

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if not self.groups and not self.by_tag:
            raise ValueError("name at least one group in adoption.groups, or set adoption.by_tag = true")
        for field in ("package_group", "model_name"):
            values = [getattr(group, field) for group in self.groups]
            repeated = sorted({value for value in values if values.count(value) > 1})
            if repeated:
                raise ValueError(f"each adoption group needs its own {field}; repeated: {repeated}")
        return self
