"""Separation of duties: the identity that uploaded a model version may not approve it for production."""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.registration_record import RegistrationRecord, read_record
from lambdas.common.s3_objects import MISSING_CODES
from lambdas.common.uploaders import read_uploader

APPROVER_KEY = "mlops:approver"
# Who asked the provisioning API for an upload, signed into its pre-signed PUTs (x-amz-meta-requested-by):
# CloudTrail names the API's role as the uploader of such objects, so the requester is the one that counts.
REQUESTED_BY_METADATA = "requested-by"
VERSION_LABEL_KEY = "mlops:model-version"  # written on the package by the register function
_ASSUMED_ROLE = re.compile(r"^arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/(.+)$")
# A Git commit names its author by e-mail; Identity Center sessions and IAM users often carry it too.
_MAILBOX = re.compile(r"[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+")
_IAM_ROLE = re.compile(r"^arn:[\w-]+:iam::(\d{12}):role/(?:.*/)?([^/]+)$")


def principal(identity: str | None) -> str | None:
    """A comparable name for one person or workload: role sessions keep their session name (the person
    behind a shared role); a bare account ID or an unknown value names nobody in particular (None)."""
    if not identity or re.fullmatch(r"\d{12}|unknown", identity.strip()):
        return None
    text = identity.strip()
    assumed = _ASSUMED_ROLE.match(text)
    if assumed:
        account, role, session = assumed.groups()
        return f"{account}:role/{role}/{session}"
    return text


def uploaded_by(sagemaker: Any, s3: Any, bucket: str, package_arn: str) -> tuple[str, ...] | None:
    """Who uploaded the manifest that registered the package: CloudTrail's uploader, and whoever the
    provisioning API signed into the upload. None when CloudTrail's is not on record: a package
    registration did not create, or CloudTrail has not delivered the upload yet."""
    package = sagemaker.describe_model_package(ModelPackageName=package_arn)
    group = package.get("ModelPackageGroupName")
    label = (package.get("CustomerMetadataProperties") or {}).get(VERSION_LABEL_KEY)
    if not group or not label:
        return None
    record = read_record(s3, bucket, group, label)
    if record is None or record.model_package_arn != package_arn:
        return None
    uploader = read_uploader(s3, bucket, record.manifest_request_id)
    if uploader is None:
        return None
    requester = requested_by(s3, bucket, record)
    return (uploader.identity, requester) if requester else (uploader.identity,)


def requested_by(s3: Any, bucket: str, record: RegistrationRecord) -> str | None:
    """Who asked the provisioning API for the registered manifest's upload, or None for other uploads.

    A direct uploader could write this metadata too, but only to name someone else, which forbids that
    person as well and never lets anyone approve: every identity found here is refused, never trusted.
    """
    params = {"Bucket": bucket, "Key": record.source_key}
    if record.source_version_id:
        params["VersionId"] = record.source_version_id
    try:
        head = s3.head_object(**params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    value = (head.get("Metadata") or {}).get(REQUESTED_BY_METADATA)
    return value if isinstance(value, str) and value else None


def same_principal(uploader: str | None, approver: str | None) -> bool:
    """Whether both name the same identity (never true when either names nobody in particular).

    Two sessions with the same name in one account count as one person whatever roles they use: with
    IAM Identity Center the session name is the person, so switching roles cannot approve one's own model.
    A Git author's e-mail (the uploader of a model version merged from Git) is the same person as any
    session or IAM user named with that address, in any account.
    """
    first, second = principal(uploader), principal(approver)
    if first is None or second is None:
        return False
    return first == second or _person(first) == _person(second) is not None or _same_mailbox(first, second)


def _same_mailbox(first: str, second: str) -> bool:
    """Whether both end in the same e-mail address (compared case-insensitively, as mail hosts do)."""
    mailboxes = [name.rpartition("/")[2].lower() for name in (first, second)]
    return mailboxes[0] == mailboxes[1] and _MAILBOX.fullmatch(mailboxes[0]) is not None


def _person(name: str) -> str | None:
    """account:session of a normalised role session; None for any other identity."""
    account, _, rest = name.partition(":role/")
    session = rest.partition("/")[2]
    return f"{account}:{session}" if rest and session else None
