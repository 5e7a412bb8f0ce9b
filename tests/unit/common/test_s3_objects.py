"""S3 reads where a missing object (or version) is an answer and every other error still raises."""

import io

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from lambdas.common.s3_objects import get_or_none, head_or_none, read_json, sealed_digest


@pytest.fixture
def s3():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        client.stubber = stubber
        yield client
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize("code", ["404", "NotFound"])
def test_a_missing_object_heads_to_none(s3, code):
    s3.stubber.add_client_error("head_object", code, http_status_code=404)
    assert head_or_none(s3, "b", "k") is None


@pytest.mark.parametrize("code", ["NoSuchKey", "NoSuchVersion"])
def test_a_missing_object_or_version_gets_none(s3, code):
    expected = {"Bucket": "b", "Key": "k", "VersionId": "v1"}
    s3.stubber.add_client_error("get_object", code, http_status_code=404, expected_params=expected)
    assert get_or_none(s3, "b", "k", "v1") is None


@pytest.mark.parametrize(("operation", "read"), [("head_object", head_or_none), ("get_object", get_or_none)])
def test_other_errors_are_raised(s3, operation, read):
    s3.stubber.add_client_error(operation, "AccessDenied", http_status_code=403)
    with pytest.raises(ClientError, match="AccessDenied"):
        read(s3, "b", "k")


def test_an_unversioned_get_names_no_version_and_reads_the_document(s3):
    body = {"Body": io.BytesIO(b'{"a": 1}')}
    s3.stubber.add_response("get_object", body, expected_params={"Bucket": "b", "Key": "k"})
    assert read_json(s3, "b", "k") == {"a": 1}


def test_the_sealed_digest_is_read_from_the_metadata_and_absent_without_an_object(s3):
    s3.stubber.add_response("head_object", {"Metadata": {"sha256": "ab"}}, {"Bucket": "b", "Key": "k"})
    s3.stubber.add_client_error("head_object", "404", http_status_code=404)
    assert sealed_digest(s3, "b", "k") == "ab"
    assert sealed_digest(s3, "b", "k") is None
