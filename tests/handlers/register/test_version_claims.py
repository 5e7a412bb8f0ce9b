"""Uploads of one version label that race: one registers, another artifact is refused, nothing is doubled."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import boto3
import pytest

from lambdas.register import service
from lambdas.register.version_claim import (
    STALE_AFTER_SECONDS,
    Claim,
    RegistrationInProgressError,
    claim_version,
)
from tests.handlers.register import artifacts as a
from tests.handlers.register.conftest import REGION, Registry, valid_manifest

TABLE = "idempotency"
LABEL = "churn-model/v1"
NOW = datetime.now(UTC).timestamp()


def _claims():
    return boto3.client("dynamodb", region_name=REGION)


def test_a_label_is_claimed_once_and_its_owner_may_claim_again(registry: Registry) -> None:
    mine, other = Claim("upload-a", "a" * 64, NOW), Claim("upload-b", "b" * 64, NOW + 1)

    assert claim_version(_claims(), TABLE, LABEL, mine) is None
    assert claim_version(_claims(), TABLE, LABEL, mine) is None  # a retry of the same upload
    assert claim_version(_claims(), TABLE, LABEL, other) == mine


def test_a_claim_older_than_any_registration_can_run_is_taken_over(registry: Registry) -> None:
    old = Claim("upload-a", "a" * 64, NOW - STALE_AFTER_SECONDS - 1)
    claim_version(_claims(), TABLE, LABEL, old)

    assert claim_version(_claims(), TABLE, LABEL, Claim("upload-b", "b" * 64, NOW)) is None
    assert claim_version(_claims(), TABLE, LABEL, old) == Claim("upload-b", "b" * 64, NOW)


def test_an_upload_racing_another_artifact_for_its_label_is_rejected(registry: Registry) -> None:
    claim_version(_claims(), TABLE, LABEL, Claim("someone-else", "f" * 64, NOW))
    artifact = a.good_model()
    event = registry.upload(valid_manifest(artifact=artifact), artifact)
    before = registry.keys("models/")

    outcome = registry.invoke(event)

    assert outcome["status"] == "rejected"
    [report] = registry.reports()
    [problem] = report["problems"]
    assert (problem["path"], problem["code"]) == ("version", "version_conflict")
    assert "f" * 64 in problem["allowed"]
    assert registry.all_package_count() == 0 and registry.keys("baselines/") == []
    assert registry.keys("models/") == before


def test_an_upload_racing_the_same_artifact_is_retried_not_doubled(registry: Registry) -> None:
    artifact = a.good_model()
    claim_version(_claims(), TABLE, LABEL, Claim("someone-else", a.sha256(artifact), NOW))
    event = registry.upload(valid_manifest(artifact=artifact), artifact)

    with pytest.raises(RegistrationInProgressError):
        registry.invoke(event)  # Lambda retries the event later

    assert registry.all_package_count() == 0 and registry.reports() == []


def test_two_artifacts_uploaded_for_one_label_at_once_register_exactly_one(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given: both uploads have checked the registry (empty) before either goes on
    both_checked = threading.Barrier(2, timeout=30)
    real_find = service.find_registration

    def find_then_wait(*args, **kwargs):
        found = real_find(*args, **kwargs)
        both_checked.wait()
        return found

    monkeypatch.setattr(service, "find_registration", find_then_wait)
    # DynamoDB applies a conditional write atomically; moto checks and writes without a lock, so two
    # threads can both pass the condition. The lock gives the claims DynamoDB's atomicity here.
    atomic, real_claim = threading.Lock(), service.claim_version

    def claim_atomically(*args, **kwargs):
        with atomic:
            return real_claim(*args, **kwargs)

    monkeypatch.setattr(service, "claim_version", claim_atomically)
    one, two = a.good_model(), a.sklearn_model(a.file_member("notes.txt", b"other weights"))
    other = valid_manifest(artifact=two)
    other["artifact"]["file_name"] = "model-b.tar.gz"  # both uploads stay valid side by side
    events = [
        registry.upload(valid_manifest(artifact=one), one),
        registry.upload(other, two, artifact_name="model-b.tar.gz"),
    ]

    # When: both are processed at the same time
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(registry.invoke, events))

    # Then: one version registered, the other artifact refused with the conflict
    assert sorted(o["status"] for o in outcomes) == ["registered", "rejected"]
    assert len(registry.packages()) == 1
    [report] = registry.reports()
    assert [p["code"] for p in report["problems"]] == ["version_conflict"]
