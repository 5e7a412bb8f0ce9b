"""The provisioning API's environment contract: what the construct sets is what the function parses."""

from __future__ import annotations

import json

import pytest

from lambdas.provisioning_api.settings import load_settings
from mlops_manifest.inference import InferenceType

PIPELINES = {"realtime": "rt", "serverless": "sl", "async": "as"}


def environment(**overrides):
    return {
        "REGISTRY_BUCKET_NAME": "registry",
        "REPORTS_BUCKET_NAME": "reports",
        "NOTIFICATION_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t",
        "PIPELINE_NAMES": json.dumps(PIPELINES),
        "APPROVAL_STAGE_NAME": "Production",
        "STAGE_NAMES": " staging, production ,",
        "AWS_REGION": "us-east-1",
        "ALLOWED_IMAGE_ACCOUNTS": "111111111111, 222222222222",
        **overrides,
    }


def test_names_and_lists_are_parsed():
    settings = load_settings(environment())

    assert settings.stages == ("staging", "production")
    assert settings.image_accounts == ("111111111111", "222222222222")
    assert settings.pipeline_names[InferenceType.ASYNC] == "as"
    assert settings.upload_url_seconds == 900


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"STAGE_NAMES": " , "}, ValueError),
        ({"UPLOAD_URL_SECONDS": "0"}, ValueError),
        ({"PIPELINE_NAMES": "{}"}, ValueError),
    ],
)
def test_bad_values_fail_at_cold_start(overrides, error):
    with pytest.raises(error):
        load_settings(environment(**overrides))
