"""Separation of duties with uploads merged from Git: the commit author's e-mail names the uploader."""

import pytest

from lambdas.common.duties import same_principal

SSO_CAROL = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_3c4d/carol@example.com"


@pytest.mark.parametrize(
    ("uploader", "approver", "same"),
    [
        ("carol@example.com", SSO_CAROL, True),
        ("Carol@Example.com", SSO_CAROL, True),  # mail hosts compare addresses case-insensitively
        ("carol@example.com", "arn:aws:iam::123456789012:user/carol@example.com", True),
        ("carol@example.com", "arn:aws:sts::210987654321:assumed-role/Approver/carol@example.com", True),
        ("carol@example.com", "arn:aws:sts::123456789012:assumed-role/Approver/dave@example.com", False),
        ("carol@example.com", "arn:aws:sts::123456789012:assumed-role/Approver/carol", False),
        ("carol", "arn:aws:sts::123456789012:assumed-role/Approver/carol", False),  # not an address
    ],
    ids=["session", "case", "iam-user", "other-account", "other-person", "bare-name", "no-mailbox"],
)
def test_a_git_author_is_the_person_whose_sessions_carry_their_address(uploader, approver, same):
    assert same_principal(uploader, approver) is same
    assert same_principal(approver, uploader) is same
