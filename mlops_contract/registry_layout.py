"""Where the registry bucket keeps what registration verified: the keys, and which prefixes are sealed.

Uploads under `models/` stay the data scientist's to overwrite. What runs is a copy the register function
makes of the verified object version, under a content-addressed key, and a record of the package it
registered; both live under sealed prefixes that only the register function may write and nobody may
delete from (the registry bucket's policy), so a later upload can never change what a package deploys.
"""

import re

ARTIFACTS_PREFIX = "artifacts/sha256/"
RECORDS_PREFIX = "registrations/"
BASELINES_PREFIX = "baselines/"
# Who put each upload, from CloudTrail: the identity separation of duties compares approvers with.
UPLOADERS_PREFIX = "uploaders/"
# Written by the register function only; never deleted (bucket policy).
SEALED_PREFIXES = (ARTIFACTS_PREFIX, RECORDS_PREFIX, BASELINES_PREFIX, UPLOADERS_PREFIX)
ARTIFACT_FILE = "model.tar.gz"
# Every uploaded manifest, as an IAM resource pattern: models/<model>/<version>/manifest.json.
MANIFEST_OBJECTS = "models/*/manifest.json"
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The s3:// URL of a sealed artifact in any one bucket (the registry, or a stage's regional copies): the
# endpoint blueprint's ModelDataUrl pattern and the regional copy's check. Groups: the bucket, the digest.
SEALED_URL_PATTERN = (
    rf"^s3://([a-z0-9][a-z0-9.-]{{1,61}}[a-z0-9])/{re.escape(ARTIFACTS_PREFIX)}({_SHA256.pattern})/"
    rf"{re.escape(ARTIFACT_FILE)}$"
)
# S3 request IDs (x-amz-request-id) are short uppercase alphanumerics; this admits a little more, never "/".
REQUEST_ID = re.compile(r"[A-Za-z0-9+=_-]{1,128}")


def _checked(pattern: re.Pattern[str], value: str, what: str) -> str:
    """The value, when it is wholly of the pattern: a key part that cannot climb out of its prefix."""
    if not pattern.fullmatch(value):
        raise ValueError(f"not {what}: {value!r}")
    return value


def registered_artifact_key(sha256: str) -> str:
    """The content-addressed key of a registered artifact."""
    return f"{ARTIFACTS_PREFIX}{_checked(_SHA256, sha256, 'a lowercase hex sha256 digest')}/{ARTIFACT_FILE}"


def registration_record_key(model_name: str, version: str) -> str:
    """The key of the record of one registered model version (its package, image and artifact)."""
    return f"{RECORDS_PREFIX}{model_name}/{version}.json"


def lineage_key(model_name: str, version: str) -> str:
    """The key of a registered version's lineage (the package's ModelMetrics point at it)."""
    return f"{RECORDS_PREFIX}{model_name}/{version}.lineage.json"


def uploader_record_key(request_id: str) -> str:
    """The key of the record of who made one S3 request under models/ (by its S3 request ID)."""
    return f"{UPLOADERS_PREFIX}{_checked(REQUEST_ID, request_id, 'an S3 request ID')}.json"


def baseline_profile_key(model_name: str, version: str) -> str:
    """The key of one registered version's drift baseline profile."""
    return f"{BASELINES_PREFIX}{model_name}/{version}/profile.json"
