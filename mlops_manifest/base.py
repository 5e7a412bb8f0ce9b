"""Shared building blocks of the manifest models: strict base model and constrained string types."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from mlops_manifest import text_rules as rules

SAGEMAKER_NAME_PATTERN = rules.SAGEMAKER_NAME.pattern
PATH_SEGMENT_PATTERN = rules.PATH_SEGMENT.pattern
# Endpoints are named `<model>-<stage>` (SageMaker: at most 63 characters) and stage names have up to
# 20, so a model name keeps 42.
MAX_MODEL_NAME = 42
INSTANCE_TYPE_PATTERN = rules.INSTANCE_TYPE.pattern
S3_URI_PATTERN = rules.S3_URI.pattern
SNS_ARN_PATTERN = rules.SNS_TOPIC_ARN.pattern
MIME_PATTERN = rules.MIME_TYPE.pattern


def _endpoint_name_fits(name: str) -> str:
    """Refuse model names too long for the `<model>-<stage>` endpoint name."""
    if len(name) > MAX_MODEL_NAME:
        raise PydanticCustomError(
            "name_too_long",
            "at most {limit} characters: the endpoint name '<model_name>-<stage>' must fit SageMaker's "
            "63-character limit, and stage names take up to 20",
            {"limit": MAX_MODEL_NAME},
        )
    return name


ModelName = Annotated[
    str,
    StringConstraints(pattern=SAGEMAKER_NAME_PATTERN),
    AfterValidator(_endpoint_name_fits),
    Field(json_schema_extra={"maxLength": MAX_MODEL_NAME}),
]
PathSegment = Annotated[str, StringConstraints(pattern=PATH_SEGMENT_PATTERN)]
InstanceType = Annotated[str, StringConstraints(pattern=INSTANCE_TYPE_PATTERN)]
S3Uri = Annotated[str, StringConstraints(pattern=S3_URI_PATTERN, max_length=1024)]
SnsTopicArn = Annotated[str, StringConstraints(pattern=SNS_ARN_PATTERN)]
MimeType = Annotated[str, StringConstraints(pattern=MIME_PATTERN, max_length=256)]
ShortText = Annotated[str, StringConstraints(max_length=1024)]
NonEmptyName = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=rules.NON_BLANK.pattern)
]


class StrictModel(BaseModel):
    """Base for every manifest section: unknown keys are errors and instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
