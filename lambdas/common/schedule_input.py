"""Where the scheduled checks read and write: S3 objects and prefixes, and the names they accept."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# SageMaker endpoint and variant names.
NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"


class S3Object(BaseModel):
    """One S3 object."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bucket: str = Field(min_length=3)
    key: str = Field(min_length=1)


class S3Prefix(BaseModel):
    """An S3 key prefix (no trailing slash needed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bucket: str = Field(min_length=3)
    prefix: str = ""

    def under(self, *parts: str) -> str:
        """The key prefix for the given path parts, ending with "/"."""
        return "/".join(p.strip("/") for p in (self.prefix, *parts) if p.strip("/")) + "/"


class EndpointCheckInput(BaseModel):
    """What every endpoint check's schedule sends: the endpoint, its model, and where its capture lands."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    endpoint_name: str = Field(pattern=NAME_PATTERN)
    variant_name: str = Field(default="AllTraffic", pattern=NAME_PATTERN)
    model_name: str = Field(min_length=1)
    model_version: str = Field(min_length=1)
    capture: S3Prefix

    def identity(self) -> dict[str, str]:
        """Which endpoint and model a report or event is about."""
        names = ("endpoint_name", "variant_name", "model_name", "model_version")
        return {name: getattr(self, name) for name in names}
