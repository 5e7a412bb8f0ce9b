"""The record of one registered model version, kept under the registry bucket's sealed registrations/.

Written once by the register function after it creates the package; read by the deployment pipeline's
resolve step, which deploys a package only when it matches its record (image and sealed artifact), so a
package that registration did not create, or one changed since, never deploys.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from lambdas.common.s3_objects import read_json
from mlops_contract.registry_layout import registration_record_key
from mlops_contract.serving import serving_environment

RECORD_FORMAT = 1
# The model package's CustomerMetadataProperties key for the version label it was registered under.
VERSION_LABEL_KEY = "mlops:model-version"


@dataclass(frozen=True)
class RegistrationRecord:
    """What one registered model version deploys: its package, image and sealed artifact."""

    model_name: str
    version: str
    model_package_arn: str
    image_uri: str
    model_data_url: str
    artifact_sha256: str
    source_key: str
    source_version_id: str | None
    uploader: str | None
    registered_at: str
    manifest_request_id: str | None = None  # finds CloudTrail's uploader record (lambdas/common/uploaders)
    serving_program: str | None = None  # entry point under code/ that script-mode containers import
    # The package's container environment (None: recorded before it was kept; the entry point's then).
    environment: dict[str, str] | None = None
    format: int = RECORD_FORMAT

    def container_environment(self) -> dict[str, str]:
        """The container environment registration gave the package (older records: the entry point's)."""
        if self.environment is not None:
            return dict(self.environment)
        return serving_environment(self.serving_program) if self.serving_program else {}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> RegistrationRecord:
        """Parse a stored record; raise ValueError when it is not one."""
        try:
            return cls(**{name: raw[name] for name in cls.__dataclass_fields__ if name in raw})
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a registration record: {error}") from error


def read_record(s3: Any, bucket: str, model_name: str, version: str) -> RegistrationRecord | None:
    """The record of a registered version, or None when the version was never registered."""
    raw = read_json(s3, bucket, registration_record_key(model_name, version))
    return None if raw is None else RegistrationRecord.from_dict(raw)


def write_record(s3: Any, bucket: str, record: RegistrationRecord) -> str:
    """Store the record (once per version: the caller checks there is none); return its key."""
    key = registration_record_key(record.model_name, record.version)
    body = json.dumps(asdict(record), indent=2, sort_keys=True).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    return key
