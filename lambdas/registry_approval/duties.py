"""Separation of duties: the identity that uploaded a model version may not approve it for production."""

from __future__ import annotations

import re
from typing import Any

UPLOADER_KEY = "mlops:uploader"  # written by the register function
APPROVER_KEY = "mlops:approver"
_ASSUMED_ROLE = re.compile(r"^arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/(.+)$")
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


def uploaded_by(sagemaker: Any, package_arn: str) -> str | None:
    """The package's recorded uploader."""
    package = sagemaker.describe_model_package(ModelPackageName=package_arn)
    return (package.get("CustomerMetadataProperties") or {}).get(UPLOADER_KEY)


def same_principal(uploader: str | None, approver: str | None) -> bool:
    """Whether both name the same identity (never true when either names nobody in particular)."""
    first, second = principal(uploader), principal(approver)
    return first is not None and first == second
