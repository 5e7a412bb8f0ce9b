"""The CodePipeline job that invokes the regional-artifact function, and its UserParameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lambdas.common.codepipeline_job import user_parameters

# Filled by the pipeline from the stage's Resolve action: "#{Resolve<Stage>.ModelDataUrl}" and ImageUri.
USER_PARAMETER_KEYS = ("stage", "model_data_url", "image_uri")


@dataclass(frozen=True)
class CopyJob:
    """The sealed artifact and image the stage's Resolve action named, for one stage."""

    stage: str
    model_data_url: str
    image_uri: str


def parse_job(event: dict[str, Any]) -> CopyJob:
    """Read the JSON UserParameters of a CodePipeline Lambda invoke event."""
    parameters = user_parameters(event, USER_PARAMETER_KEYS)
    return CopyJob(
        stage=parameters["stage"],
        model_data_url=parameters["model_data_url"],
        image_uri=parameters["image_uri"],
    )
