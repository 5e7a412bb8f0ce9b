"""Model registry: the stateful core is encrypted, private, logged, retained and keeps its logical IDs."""

import pytest
from aws_cdk.assertions import Match

# Changing one of these replaces a bucket or the key on upgrade: that must be a deliberate decision.
PINNED_LOGICAL_IDS = {
    "RegistryDataKey0F69CDC7": "AWS::KMS::Key",
    "RegistryAccessLogsBucket8793964E": "AWS::S3::Bucket",
    "RegistryModelRegistryBucket9E0BB17D": "AWS::S3::Bucket",
    "RegistryDataCaptureBucket1FD66D3D": "AWS::S3::Bucket",
    "RegistryReportsBucket1A24D212": "AWS::S3::Bucket",
}
DATA_BUCKETS = [
    "RegistryModelRegistryBucket9E0BB17D",
    "RegistryDataCaptureBucket1FD66D3D",
    "RegistryReportsBucket1A24D212",
]


@pytest.fixture(scope="module")
def resources(tooling_template):
    return tooling_template.to_json()["Resources"]


def test_stateful_logical_ids_are_pinned_and_retained(resources):
    for logical_id, resource_type in PINNED_LOGICAL_IDS.items():
        assert resources[logical_id]["Type"] == resource_type, logical_id
        assert resources[logical_id]["DeletionPolicy"] == "Retain", logical_id
        assert resources[logical_id]["UpdateReplacePolicy"] == "Retain", logical_id


def test_key_rotates(tooling_template):
    tooling_template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


@pytest.mark.parametrize("bucket", DATA_BUCKETS)
def test_data_buckets_use_the_customer_managed_key(resources, bucket):
    rule = resources[bucket]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Fn::GetAtt": ["RegistryDataKey0F69CDC7", "Arn"]},
    }


@pytest.mark.parametrize("bucket", DATA_BUCKETS)
def test_data_buckets_are_versioned_private_and_logged(resources, bucket):
    properties = resources[bucket]["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert properties["LoggingConfiguration"]["DestinationBucketName"] == {
        "Ref": "RegistryAccessLogsBucket8793964E"
    }
    assert properties["LifecycleConfiguration"]["Rules"][0]["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": 90
    }


@pytest.mark.parametrize("bucket", [*DATA_BUCKETS, "RegistryAccessLogsBucket8793964E"])
def test_every_bucket_denies_plain_http(tooling_template, bucket):
    tooling_template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )


def test_only_the_registry_bucket_sends_events_to_eventbridge(resources):
    sending = [
        logical_id
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::S3::Bucket"
        and resource["Properties"].get("NotificationConfiguration", {}).get("EventBridgeConfiguration")
    ]
    assert sending == ["RegistryModelRegistryBucket9E0BB17D"]


def test_no_hidden_custom_resources(resources):
    # Custom resources would create infrastructure an auditor cannot see in the template.
    types = {resource["Type"] for resource in resources.values()}
    assert not any(t.startswith("Custom::") or t == "AWS::CloudFormation::CustomResource" for t in types)


def test_notification_topic_is_encrypted_with_the_key(tooling_template):
    tooling_template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": ["RegistryDataKey0F69CDC7", "Arn"]}}
    )


def test_termination_protection_follows_config(synthesized_app):
    manifest = (synthesized_app.outdir / "manifest.json").read_text()
    assert synthesized_app.config.termination_protection is True
    assert '"terminationProtection": true' in manifest
