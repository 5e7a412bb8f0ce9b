"""Separation of duties: the uploader of a model version cannot approve it; the approver is recorded."""

from __future__ import annotations

import copy

import pytest

from lambdas.common.duties import same_principal
from tests.handlers.registry_approval.conftest import (
    APPROVED,
    ASYNC,
    PACKAGE_ARN,
    REALTIME,
    REJECTED,
    SERVERLESS,
    TOPIC_ARN,
    UPLOADER,
)

APPROVED_SUMMARY = "Approved in the SageMaker Model Registry by alice: QA sign-off, ticket ML-142"


def decided_by(event, arn):
    changed = copy.deepcopy(event)
    changed["detail"]["LastModifiedBy"] = {"IamIdentity": {"Arn": arn}}
    return changed


def test_the_uploader_approving_their_own_model_is_refused_and_undone(world):
    # Given the uploader's own session approves the package (no pipeline call is stubbed: none may happen)
    event = decided_by(APPROVED, UPLOADER)

    result = world.invoke(event)

    # Then nothing is approved, the registry approval is undone with the reason, and people are told
    assert result["status"] == "refused"
    assert "uploaded this model version and cannot also approve it" in result["reason"]
    (update,) = world.registry.updates
    assert update["ModelPackageArn"] == PACKAGE_ARN
    assert update["ModelApprovalStatus"] == "PendingManualApproval"
    assert UPLOADER in update["ApprovalDescription"]
    (message,) = world.topic.messages
    assert message["TopicArn"] == TOPIC_ARN
    assert PACKAGE_ARN in message["Message"] and UPLOADER in message["Message"]


def test_whoever_asked_the_api_for_the_upload_cannot_approve_it(world):
    # Given CloudTrail names the provisioning API's role, and the API signed carol in as the requester
    api_role = "arn:aws:sts::123456789012:assumed-role/ProvisioningApiRole/provisioning-fn"
    world.bucket.upload_through_the_api(api_role, UPLOADER)

    result = world.invoke(decided_by(APPROVED, UPLOADER))

    assert result["status"] == "refused"
    assert "uploaded this model version and cannot also approve it" in result["reason"]
    (update,) = world.registry.updates
    assert update["ModelApprovalStatus"] == "PendingManualApproval"


def test_an_approval_is_refused_while_the_uploader_is_not_on_record(world):
    # Given CloudTrail has not delivered the upload's record (no pipeline call is stubbed: none may happen)
    world.bucket.forget_uploader()

    result = world.invoke(decided_by(APPROVED, "arn:aws:iam::123456789012:user/dave"))

    assert result["status"] == "refused"
    assert "who uploaded this model version is not on record" in result["reason"]
    (update,) = world.registry.updates
    assert update["ModelApprovalStatus"] == "PendingManualApproval"
    (message,) = world.topic.messages
    assert message["Subject"] == "Production approval refused"


def test_another_person_approving_is_recorded_on_the_package(world):
    world.waiting(REALTIME, PACKAGE_ARN)
    world.expect_result(REALTIME, "Approved", APPROVED_SUMMARY)
    world.idle(SERVERLESS, ASYNC)

    assert world.invoke(APPROVED)["status"] == "approved"

    assert world.registry.updates == [
        {"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": {"mlops:approver": "alice"}}
    ]
    assert world.topic.messages == []


def test_the_uploader_may_reject_their_own_model(world):
    world.waiting(REALTIME, PACKAGE_ARN)
    summary = (
        f"Rejected in the SageMaker Model Registry by {UPLOADER}: Latency regression on the holdout replay"
    )
    world.expect_result(REALTIME, "Rejected", summary)
    world.idle(SERVERLESS, ASYNC)

    assert world.invoke(decided_by(REJECTED, UPLOADER))["status"] == "rejected"
    assert world.registry.updates == []


@pytest.mark.parametrize(
    ("uploader", "approver", "same"),
    [
        (UPLOADER, UPLOADER, True),
        (UPLOADER, "arn:aws:sts::123456789012:assumed-role/data-scientist/dave", False),  # shared role
        ("arn:aws:iam::123456789012:user/erin", "arn:aws:iam::123456789012:user/erin", True),
        ("123456789012", UPLOADER, False),  # the S3 event names only the account: nobody in particular
        (None, UPLOADER, False),
        ("unknown", "unknown", False),
        # The same Identity Center user through another role is still the same person
        (
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DataScientist_1a2b/carol@example.com",
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_3c4d/carol@example.com",
            True,
        ),
        (  # the same session name in another account is someone else
            "arn:aws:sts::123456789012:assumed-role/DataScientist/carol",
            "arn:aws:sts::210987654321:assumed-role/Approver/carol",
            False,
        ),
    ],
)
def test_identities_are_compared_per_person(uploader, approver, same):
    assert same_principal(uploader, approver) is same


def test_the_author_of_a_version_merged_from_git_cannot_approve_it(world):
    # Given the Git pipeline's build role made the put and signed the commit author's e-mail into it
    build_role = "arn:aws:sts::123456789012:assumed-role/GitPublishRole/AWSCodeBuild-5d1c"
    world.bucket.upload_through_the_api(build_role, "carol@example.com")
    carol = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_3c4d/carol@example.com"

    result = world.invoke(decided_by(APPROVED, carol))

    assert result["status"] == "refused"
    (update,) = world.registry.updates
    assert update["ModelApprovalStatus"] == "PendingManualApproval"
