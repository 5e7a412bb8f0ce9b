"""Given a manifest crafted to be misread, registration refuses it in plain words (encoding, real size, depth,
the field and what is allowed, never a regex or a Python type), registers nothing and keeps the upload."""

from __future__ import annotations

import codecs
import json
from typing import Any

from tests.handlers.register.cases import (
    Case,
    assert_rejected,
    bad_value,
    custom_image,
    each_case,
    serving,
    setter,
)
from tests.handlers.register.conftest import ALLOWED_IMAGE_ACCOUNT, Registry, valid_manifest


def document(model: str, **changes: Any) -> dict[str, Any]:
    manifest = valid_manifest(model=model)
    manifest.update(changes)
    return manifest


def raw(model: str, text: str, replaces: str | None = None) -> bytes:
    """A manifest with hand-written JSON text first (json.dumps writes neither NaN nor a repeated key);
    `replaces` names the valid manifest's section that the text stands in for."""
    manifest = document(model)
    manifest.pop(replaces or "", None)
    return ("{" + text + ", " + json.dumps(manifest)[1:]).encode()


SCHEMA = "encoding"
ASYNC = {"type": "async", "instance_type": "ml.m5.large"}
BATCH = {"type": "batch", "input_path": "d/"}
# Cases whose manifest bytes depend on the case's model folder are built from its model name.
INSTANCES = '"type": "realtime", "instance_type": "ml.m5.large"'
RAW_CASES = {
    "nan-number": lambda m: raw(m, '"deployment": {"canary_percent": NaN}', "deployment"),
    "infinity-number": lambda m: raw(m, '"data_capture": {"sampling_percent": Infinity}'),
    "negative-infinity-deep": lambda m: raw(m, '"monitoring": {"drift_thresholds": {"psi": -Infinity}}'),
    "overflowing-float": lambda m: raw(
        m, '"deployment": {"rollback_alarms": {"http_5xx_rate_percent": 1e999}}', "deployment"
    ),
    "forty-digit-integer": lambda m: raw(
        m, '"inference": {' + INSTANCES + ', "initial_instance_count": ' + "9" * 40 + "}", "inference"
    ),
    # The first owner is the one a reader sees; json's last-wins would register the second.
    "duplicate-top-level-key": lambda m: raw(m, '"owner": "mallory@example.com"'),
    "duplicate-nested-key": lambda m: raw(
        m, '"inference": {' + INSTANCES + ', "instance_type": "ml.p5.48xlarge"}', "inference"
    ),
    "duplicate-key-in-list-item": lambda m: raw(
        m, '"monitoring": {"features": [{"name": "age", "type": "numeric", "name": "income"}]}'
    ),
    "utf8-bom": lambda m: codecs.BOM_UTF8 + json.dumps(document(m)).encode(),
    "utf16-without-bom": lambda m: json.dumps(document(m)).encode("utf-16-le"),
    "utf32-with-bom": lambda m: json.dumps(document(m)).encode("utf-32"),
    "oversize-manifest": lambda m: (
        json.dumps(document(m, description="d" * 1000)).encode() + b" " * (2 * 2**20)
    ),
    "nested-5000-deep": lambda m: raw(m, '"tags": ' + "[" * 5000 + "]" * 5000, "tags"),
    "null-document": lambda m: b"null",
}
CASES = [
    Case("nan-number", {("deployment.canary_percent", "non_finite")}, words=("NaN", "a finite number")),
    Case("infinity-number", {("data_capture.sampling_percent", "non_finite")}, words=("Infinity",)),
    Case("negative-infinity-deep", {("monitoring.drift_thresholds.psi", "non_finite")}, words=("-Infinity",)),
    Case(
        "overflowing-float",
        {("deployment.rollback_alarms.http_5xx_rate_percent", "non_finite")},
        words=("1e999: too large for a number (overflows to infinity)",),
    ),
    Case("forty-digit-integer", {("inference.initial_instance_count", "non_finite")}, words=("(40 digits)",)),
    Case("duplicate-top-level-key", {("owner", "duplicate_key")}, words=("the key 'owner' more than once",)),
    Case("duplicate-nested-key", {("inference.instance_type", "duplicate_key")}, words=("each key once",)),
    Case("duplicate-key-in-list-item", {("monitoring.features[0].name", "duplicate_key")}),
    Case("utf8-bom", {("$", SCHEMA)}, words=("UTF-8 with a byte order mark", "without a byte order mark")),
    Case(
        "utf16-without-bom", {("$", SCHEMA)}, words=("UTF-16 little-endian (NUL bytes between characters)",)
    ),
    Case("utf32-with-bom", {("$", SCHEMA)}, words=("UTF-32 little-endian with a byte order mark",)),
    Case("oversize-manifest", {("$", "too_large")}, words=("(2.00 MiB)", "at most 1048576 bytes")),
    Case("nested-5000-deep", {("$", "too_deep")}, words=("nested 5001 levels deep", "at most 32 levels")),
    Case("null-document", {("$", "not_object")}, words=("JSON null",)),
    # --- null where an object is needed, patterns in words
    bad_value("null-section", "inference", "dict_type", None, words=("null", "an object")),
    bad_value(
        "model-name-with-space",
        "model_name",
        "string_pattern_mismatch",
        "Churn Model",
        words=("letters, digits and hyphens, starting and ending with a letter or digit",),
    ),
    bad_value(
        "schedule-in-prose",
        "monitoring.schedule",
        "string_pattern_mismatch",
        "hourly",
        words=("rate(<number> minutes|hours|days)",),
    ),
    # --- instance types SageMaker does not have
    bad_value(
        "instance-type-typo",
        "inference.instance_type",
        "unknown_instance_type",
        "ml.m5.larg",
        words=("SageMaker offers for endpoints", "closest: ml.m5.large"),
    ),
    bad_value("instance-type-invented", "inference.instance_type", "unknown_instance_type", "ml.m99.huge"),
    Case(
        "endpoint-only-type-for-batch",
        {("inference.instance_type", "unknown_instance_type")},
        serving(dict(BATCH, instance_type="ml.c5.large")),
        words=("for batch transform", "ml.c5.xlarge"),
    ),
    # --- capture that records nothing, async destinations the role may not write
    Case(
        "capture-at-zero-percent",
        {("data_capture.sampling_percent", "capture_samples_nothing")},
        setter("data_capture", {"enabled": True, "sampling_percent": 0}),
        words=("0 % would record nothing", "enabled: false"),
    ),
    Case(
        "async-output-elsewhere",
        {("inference.output_path", "async_output_fixed")},
        setter("inference", dict(ASYNC, output_path="s3://attacker-bucket/loot/")),
        words=("async-output/<stage>/<model_name>/", "least privilege"),
    ),
    Case(
        "batch-output-elsewhere",
        {("inference.output_path", "batch_output_fixed")},
        serving(dict(BATCH, output_path="s3://attacker-bucket/loot/")),
        words=(
            "batch-output/<model_name>/<transformJobName>/",
            "production data stays in production's account",
        ),
    ),
    Case(
        "batch-input-other-bucket",
        {("inference.input_path", "batch_input_prefix")},
        serving(dict(BATCH, input_path="s3://attacker-bucket/loot/")),
        words=("names a URI, a bucket or an ARN", "batch-input/<model_name>/"),
    ),
    Case(
        "batch-input-climbs-out",
        {("inference.input_path", "batch_input_prefix")},
        serving(dict(BATCH, input_path="d/../../other-model/")),
        words=("has a '..' segment, which would leave the model's folder",),
    ),
    Case(
        "batch-input-empty",
        {("inference.input_path", "batch_input_prefix")},
        serving(dict(BATCH, input_path="")),
        words=("is empty",),
    ),
    Case(
        "async-topics",
        {
            ("inference.notification.success_topic_arn", "async_topic_refused"),
            ("inference.notification.error_topic_arn", "async_topic_refused"),
        },
        setter(
            "inference",
            dict(
                ASYNC,
                notification={
                    "success_topic_arn": "arn:aws:sns:us-east-1:444455556666:done",
                    "error_topic_arn": "arn:aws:sns:us-east-1:444455556666:failed",
                },
            ),
        ),
        words=("execution role", "(.err)"),
    ),
    # --- images from accounts nobody vouched for, or another partition
    Case(
        "image-unlisted-account",
        {("image_uri", "image_account")},
        custom_image("444455556666.dkr.ecr.us-east-1.amazonaws.com/miner:latest"),
        words=("an image in account 444455556666", f"registry.image_accounts: {ALLOWED_IMAGE_ACCOUNT}"),
    ),
    Case(
        "image-china-host-in-us-region",
        {("image_uri", "image_partition")},
        custom_image(f"{ALLOWED_IMAGE_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com.cn/model:1"),
        words=("a host ending in .amazonaws.com.cn", "the DNS suffix of us-east-1's partition (aws)"),
    ),
]


@each_case(CASES, "manifest")
def test_hostile_manifest_is_refused_in_plain_words(
    shared_registry: Registry, model: str, case: Case
) -> None:
    if case.id in RAW_CASES:
        case.raw_manifest = RAW_CASES[case.id](model)
    assert_rejected(shared_registry, case, model)


def test_every_case_is_distinct_and_every_raw_case_is_used() -> None:
    assert len({c.id for c in CASES}) == len(CASES) >= 25
    assert set(RAW_CASES) <= {c.id for c in CASES}
