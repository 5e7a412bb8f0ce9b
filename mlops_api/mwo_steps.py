"""The steps that finish a migration after POST /provisionpipeline: copy, upload, then retire MWO's stacks."""

from __future__ import annotations

from mlops_api.mwo import MwoPipelineType
from mlops_api.mwo_result import ObjectCopy

# MWO named each provisioned stack <its stack name>-<model_name>-<suffix>, in lowercase.
MWO_STACK_SUFFIX = {
    MwoPipelineType.REALTIME_BUILTIN: "byompipelinerealtimebuiltin",
    MwoPipelineType.REALTIME_CUSTOM: "byompipelinerealtimecustom",
    MwoPipelineType.BATCH_BUILTIN: "byompipelinebatchbuiltin",
    MwoPipelineType.BATCH_CUSTOM: "byompipelinebatchcustom",
    MwoPipelineType.DATA_QUALITY_MONITOR: "byomdataqualitymonitor",
    MwoPipelineType.MODEL_QUALITY_MONITOR: "byommodelqualitymonitor",
}


def _retire(kind: MwoPipelineType, model_name: str) -> str:
    stack = f"<MWO stack name>-{model_name.strip().lower()}-{MWO_STACK_SUFFIX[kind]}"
    return (
        f"Once the model is served and watched from here, delete MWO's stacks {stack} and "
        f"{stack}-codepipeline; data in MWO's buckets is not touched by this product"
    )


def byom_steps(kind: MwoPipelineType, model_name: str, sha256: str, copies: list[ObjectCopy]) -> list[str]:
    """What to do with a converted BYOM body: check the digest, upload artifact then manifest, retire MWO."""
    (artifact,) = copies
    folder = artifact.target.rsplit("/", 1)[0]
    return [
        f"Check the digest: aws s3 cp {artifact.source} - | sha256sum must print {sha256} (registration "
        "recomputes it and rejects the upload when it differs)",
        "Save manifest_text byte for byte as manifest.json (its sha256 is manifest_sha256)",
        f"Upload with S3: aws s3 cp {artifact.source} {artifact.target}, then aws s3 cp manifest.json "
        f"{folder}/manifest.json last (the manifest starts registration); or download the artifact and run "
        "mlops push model.tar.gz --manifest manifest.json; or POST /uploads with the artifact's size, "
        "artifact_sha256, manifest_size_bytes and manifest_sha256 and PUT both files",
        "Follow the deployment with GET /models/{name} (MWO's /pipelinestatus); approve production with "
        "POST /models/{name}/versions/{version}/approve",
        _retire(kind, model_name),
    ]


def monitor_steps(kind: MwoPipelineType, model_name: str, copies: list[ObjectCopy]) -> list[str]:
    """What to do with a converted monitor body: copy the baseline, add the section to the next version."""
    steps = [f"Copy the baseline: aws s3 cp {copy.source} {copy.target}" for copy in copies]
    return [
        *steps,
        f"Add this monitoring section to the manifest of {model_name}'s next version (merge it with the "
        "other monitor's section if both were migrated) and upload that version: monitoring travels with "
        "a version and starts when it is deployed",
        _retire(kind, model_name),
    ]
