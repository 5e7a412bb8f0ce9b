"""POST /manifests/validate: the register function's manifest checks, answered without uploading anything."""

from __future__ import annotations

from mlops_api.models import ProblemBody, ValidationResult
from mlops_manifest.registrable import check_manifest


def validate(raw: bytes, region: str, image_accounts: tuple[str, ...]) -> ValidationResult:
    """The verdict on a manifest: valid with its image, or every problem as registration reports it."""
    manifest, image, problems = check_manifest(raw, region, image_accounts, size=len(raw))
    return ValidationResult(
        valid=manifest is not None and image is not None and not problems,
        model_name=manifest.model_name if manifest else None,
        version=manifest.version if manifest else None,
        image_uri=image,
        problems=[ProblemBody(**problem.to_dict()) for problem in problems],
    )
