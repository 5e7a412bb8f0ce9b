"""Given an invalid upload, the register function rejects it with the exact problems, registers nothing
and leaves the uploaded objects as they were."""

from __future__ import annotations

import gzip
import os
import tarfile

from tests.handlers.register import artifacts as a
from tests.handlers.register.cases import (
    Case,
    assert_rejected,
    bad_value,
    combine,
    custom_image,
    deleter,
    each_case,
    serving,
    setter,
)
from tests.handlers.register.conftest import MAX_ARTIFACT, MAX_UNCOMPRESSED, Registry

SERVERLESS = {"type": "serverless", "memory_size_mb": 2048, "max_concurrency": 5}
BATCH = {"type": "batch", "input_path": "data/"}
PAT = "string_pattern_mismatch"

CASES = [
    # --- the document itself
    Case("not-json", {("$", "not_json")}, raw_manifest=b"{model_name: churn"),
    Case("empty-manifest", {("$", "not_json")}, raw_manifest=b""),
    Case("json-array", {("$", "not_object")}, raw_manifest=b"[1, 2]"),
    Case("utf16-bom", {("$", "encoding")}, raw_manifest=b"\xff\xfe{}"),
    Case("too-large-manifest", {("$", "too_large")}, raw_manifest=b" " * (1024 * 1024 + 1)),
    bad_value("schema-version-2", "schema_version", "schema_version", "2"),
    bad_value("schema-version-int", "schema_version", "schema_version", 1),
    Case("schema-version-missing", {("schema_version", "schema_version")}, deleter("schema_version")),
    bad_value("unknown-key", "colour", "extra_forbidden", "blue"),
    # --- identity
    Case("model-name-missing", {("model_name", "missing")}, deleter("model_name")),
    bad_value("model-name-symbols", "model_name", PAT, "churn_model!"),
    bad_value("model-name-leading-hyphen", "model_name", PAT, "-churn"),
    bad_value("model-name-64-chars", "model_name", PAT, "m" * 64),
    bad_value("model-name-number", "model_name", "string_type", 42),
    bad_value("name-not-path", "model_name", "path_mismatch", "other-model"),
    bad_value("version-not-path", "version", "path_mismatch", "v2"),
    bad_value("version-traversal", "version", PAT, "../v1"),
    Case("owner-missing", {("owner", "missing")}, deleter("owner")),
    Case("aws-tag", {("tags.aws:team", "reserved_tag")}, setter("tags", {"aws:team": "x"})),
    bad_value("description-too-long", "description", "string_too_long", "d" * 2000),
    # --- artifact declaration
    Case("artifact-missing-section", {("artifact", "missing")}, deleter("artifact")),
    Case("sha-not-hex", {("artifact.sha256", PAT)}, declared_sha="z" * 64),
    Case("sha-short", {("artifact.sha256", PAT)}, declared_sha="ab" * 8),
    bad_value("artifact-name-traversal", "artifact.file_name", PAT, "../model.tar.gz"),
    # --- image
    bad_value(
        "image-and-framework", "image_uri", "image_source", "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"
    ),
    Case(
        "no-image-source",
        {("framework", "image_source")},
        combine(deleter("framework"), deleter("framework_version")),
    ),
    Case("framework-version-missing", {("framework_version", "missing")}, deleter("framework_version")),
    bad_value("unknown-framework", "framework", "enum", "caffe"),
    bad_value("unsupported-framework-version", "framework_version", "unsupported", "0.1"),
    bad_value("sklearn-on-gpu", "inference.instance_type", "unsupported", "ml.g5.xlarge"),
    Case(
        "image-other-region",
        {("image_uri", "image_region")},
        custom_image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1"),
    ),
    Case(
        "image-not-ecr",
        {("image_uri", PAT)},
        custom_image("docker.io/library/python:3"),
    ),
    # --- inference
    bad_value("count-as-string", "inference.initial_instance_count", "int_type", "2"),
    bad_value("count-zero", "inference.initial_instance_count", "greater_than_equal", 0),
    bad_value("instance-type-no-ml", "inference.instance_type", PAT, "m5.large"),
    bad_value(
        "unknown-inference-type",
        "inference.type",
        "union_tag_invalid",
        "edge",
        words=("'edge'", "one of 'realtime', 'serverless', 'async', 'batch'"),
    ),
    Case(
        "serverless-memory-1000",
        {("inference.memory_size_mb", "literal_error")},
        serving(dict(SERVERLESS, memory_size_mb=1000)),
    ),
    Case(
        "serverless-concurrency-201",
        {("inference.max_concurrency", "less_than_equal")},
        serving(dict(SERVERLESS, max_concurrency=201)),
    ),
    Case(
        "serverless-canary",
        {("deployment.strategy", "strategy_unsupported")},
        setter("inference", SERVERLESS),
    ),
    Case(
        "batch-linear",
        {("deployment.strategy", "strategy_unsupported")},
        combine(setter("inference", BATCH), setter("deployment", {"strategy": "linear"})),
    ),
    Case(
        "async-output-not-s3",
        {("inference.output_path", PAT)},
        setter("inference", {"type": "async", "output_path": "https://example.com/out"}),
    ),
    Case(
        "batch-output-elsewhere",
        {("inference.output_path", "batch_output_fixed")},
        serving({"type": "batch", "output_path": "s3://out-bucket/x"}),
    ),
    Case(
        "autoscaling-inverted",
        {("inference.autoscaling.min_capacity", "range"), ("inference.initial_instance_count", "range")},
        setter("inference.autoscaling", {"min_capacity": 3, "max_capacity": 2}),
    ),
    # --- rollout, capture, monitoring
    bad_value("canary-60", "deployment.canary_percent", "less_than_equal", 60),
    bad_value("bake-negative", "deployment.bake_minutes", "greater_than_equal", -1),
    bad_value("unknown-strategy", "deployment.strategy", "enum", "rolling"),
    bad_value("sampling-101", "data_capture.sampling_percent", "less_than_equal", 101),
    Case(
        "monitoring-without-baseline",
        {("monitoring.baseline_dataset_key", "missing")},
        setter("monitoring", {"enabled": True}),
    ),
    Case(
        "baseline-dataset-without-columns",
        {("monitoring.features", "missing")},
        setter("monitoring", {"enabled": True, "baseline_dataset_key": "datasets/b.csv"}),
    ),
    Case(
        "two-baseline-sources",
        {("monitoring.baseline_statistics_key", "conflict")},
        setter(
            "monitoring",
            {
                "enabled": True,
                "header_row": True,
                "baseline_dataset_key": "datasets/b.csv",
                "baseline_statistics_key": "datasets/statistics.json",
            },
        ),
    ),
    Case(
        "constraints-without-statistics",
        {("monitoring.baseline_constraints_key", "conflict")},
        setter(
            "monitoring",
            {
                "enabled": True,
                "header_row": True,
                "baseline_dataset_key": "datasets/b.csv",
                "baseline_constraints_key": "datasets/constraints.json",
            },
        ),
    ),
    bad_value("bad-schedule", "monitoring.schedule", PAT, "every hour"),
    bad_value(
        "baseline-traversal", "monitoring.baseline_dataset_key", "value_error", "data/../../secrets.csv"
    ),
    Case(
        "several-at-once",
        {
            ("owner", "missing"),
            ("inference.initial_instance_count", "int_type"),
            ("colour", "extra_forbidden"),
            ("deployment.bake_minutes", "less_than_equal"),
        },
        combine(
            deleter("owner"),
            setter("inference.initial_instance_count", "x"),
            setter("colour", 1),
            setter("deployment.bake_minutes", 61),
        ),
    ),
    # --- the artifact
    Case("artifact-not-uploaded", {("artifact.file_name", "artifact_missing")}, upload_artifact=False),
    Case("digest-mismatch", {("artifact.sha256", "digest_mismatch")}, declared_sha="0" * 64),
    Case("oversize", {("artifact", "too_large")}, artifact=os.urandom(MAX_ARTIFACT + 1)),
    Case("dot-dot-member", {("artifact", "unsafe_member")}, artifact=a.with_member("../evil.py")),
    Case("absolute-member", {("artifact", "unsafe_member")}, artifact=a.with_member("/etc/cron.d/evil")),
    Case(
        "symlink",
        {("artifact", "unsafe_member")},
        artifact=a.with_member("link", tarfile.SYMTYPE, "/etc/passwd"),
    ),
    Case(
        "hard-link",
        {("artifact", "unsafe_member")},
        artifact=a.with_member("hard", tarfile.LNKTYPE, "model.joblib"),
    ),
    Case("char-device", {("artifact", "unsafe_member")}, artifact=a.with_member("dev/null", tarfile.CHRTYPE)),
    Case("fifo", {("artifact", "unsafe_member")}, artifact=a.with_member("pipe", tarfile.FIFOTYPE)),
    Case("bomb-size", {("artifact", "too_large")}, artifact=a.zero_bomb(MAX_UNCOMPRESSED + 1)),
    Case("bomb-members", {("artifact", "too_many_members")}, artifact=a.many_members(60)),
    Case("not-a-tar", {("artifact", "corrupt")}, artifact=gzip.compress(b"just some text, not a tar\n" * 40)),
    Case("not-gzip", {("artifact", "not_gzip")}, artifact=b"PK\x03\x04" + b"\0" * 100),
    Case("empty-artifact", {("artifact", "empty")}, artifact=b""),
    Case("empty-tar", {("artifact", "empty")}, artifact=gzip.compress(b"\0" * 1024)),
    Case(
        "truncated",
        {("artifact", "corrupt")},
        artifact=a.tar_gz(a.file_member("w.bin", os.urandom(60_000)))[:30_000],
    ),
    Case(
        "unsafe-and-mismatch",
        {("artifact", "unsafe_member"), ("artifact.sha256", "digest_mismatch")},
        artifact=a.with_member("../x"),
        declared_sha="1" * 64,
    ),
]


@each_case(CASES, "case")
def test_invalid_upload_is_rejected_with_its_problems(
    shared_registry: Registry, model: str, case: Case
) -> None:
    assert_rejected(shared_registry, case, model)


def test_suite_has_at_least_forty_distinct_cases() -> None:
    assert len({c.id for c in CASES}) == len(CASES) >= 40
