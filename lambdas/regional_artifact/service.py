"""Before a stage in another region deploys: its artifact copied into its region, its image resolved there.

SageMaker loads a model's artifact and image from the endpoint's own region. The stage's Resolve action
(tooling region) names the sealed artifact and the registered image; this step, run in the stage's account
and region, makes the write-once regional copy of the artifact and names the same framework image as
published in this region. Custom images are refused: they are not replicated to other regions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lambdas.common.codepipeline_job import Verdict
from lambdas.regional_artifact.copy import CopyRefusedError, Location, ensure_copy
from lambdas.regional_artifact.job import CopyJob
from lambdas.regional_artifact.settings import Settings
from mlops_contract.registry_layout import (
    ARTIFACT_FILE,
    ARTIFACTS_PREFIX,
    SEALED_URL_PATTERN,
    registered_artifact_key,
)
from mlops_manifest.images import image_in_region

_SEALED_URL = re.compile(SEALED_URL_PATTERN)


@dataclass(frozen=True)
class Clients:
    """S3 of the tooling region (the sealed artifacts), S3 of this region, and CodePipeline."""

    source_s3: Any
    s3: Any
    codepipeline: Any


def sealed_source(model_data_url: str) -> tuple[Location, str]:
    """The sealed artifact a URL names and the digest in its key; refused unless it is a sealed key."""
    match = _SEALED_URL.match(model_data_url)
    if match is None:
        raise CopyRefusedError(
            f"{model_data_url} is not a sealed artifact (s3://<registry>/{ARTIFACTS_PREFIX}<sha256>/"
            f"{ARTIFACT_FILE})"
        )
    bucket, sha256 = match.groups()
    return Location(bucket, registered_artifact_key(sha256)), sha256


def regional_image(image_uri: str, region: str) -> str:
    """The registered image as published in `region`; refused for custom images."""
    image = image_in_region(image_uri, region)
    if image is None:
        raise CopyRefusedError(
            f"the image {image_uri} is not a SageMaker framework image published in {region}; custom "
            "images are not replicated to other regions, so deploy models with custom images to stages "
            "in the tooling region only"
        )
    return image


def copy_to_region(job: CopyJob, clients: Clients, settings: Settings) -> Verdict:
    """Pass with the regional ModelDataUrl and ImageUri as output variables, or fail saying why."""
    try:
        image = regional_image(job.image_uri, settings.region)
        source, sha256 = sealed_source(job.model_data_url)
        target = Location(settings.artifact_bucket, source.key)
        wrote = ensure_copy(clients.source_s3, clients.s3, source, target, sha256, settings.part_bytes)
    except CopyRefusedError as error:
        return Verdict(False, f"refused to deploy to {job.stage} in {settings.region}: {error}")
    done = "copied and verified" if wrote else "already there, verified when copied"
    outputs = {"ModelDataUrl": target.url(), "ImageUri": image}
    return Verdict(True, f"{target.url()}: {done}", output_variables=outputs)
