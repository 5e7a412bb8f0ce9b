"""s3:// URIs split into bucket and key, and nothing else accepted."""

import pytest

from lambdas.common.s3_uri import s3_uri, split_s3_uri


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bucket/models/churn/1/model.tar.gz", ("bucket", "models/churn/1/model.tar.gz")),
        ("s3://bucket/prefix/", ("bucket", "prefix/")),
        ("s3://bucket", ("bucket", "")),
        ("s3://bucket/a//b", ("bucket", "a//b")),
    ],
)
def test_a_uri_splits_into_bucket_and_key_with_its_slashes(uri, expected):
    assert split_s3_uri(uri) == expected


@pytest.mark.parametrize(
    "uri", ["", "s3://", "s3:///key", "https://bucket/key", "S3://bucket/key", "bucket/key"]
)
def test_anything_but_an_s3_uri_with_a_bucket_is_refused_naming_it(uri):
    with pytest.raises(ValueError, match=r"s3://|bucket"):
        split_s3_uri(uri)


def test_joining_and_splitting_are_inverse():
    assert split_s3_uri(s3_uri("b", "k/x.json")) == ("b", "k/x.json")
