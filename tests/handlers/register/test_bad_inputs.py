"""Given an invalid upload, the register function rejects it with the exact problems, registers nothing
and leaves the uploaded objects as they were."""

from __future__ import annotations

import gzip
import os
import tarfile

from tests.handlers.register import artifacts as a
from tests.handlers.register.cases import Case, assert_rejected, combine, deleter, each_case, setter
from tests.handlers.register.conftest import MAX_ARTIFACT, MAX_UNCOMPRESSED, Registry

SERVERLESS = {"type": "serverless", "memory_size_mb": 2048, "max_concurrency": 5}
BATCH = {"type": "batch", "input_path": "s3://in-bucket/data/", "output_path": "s3://out-bucket/res/"}
PAT = "string_pattern_mismatch"

CASES = [
    # --- the document itself
    Case("not-json", {("$", "not_json")}, raw_manifest=b"{model_name: churn"),
    Case("empty-manifest", {("$", "not_json")}, raw_manifest=b""),
    Case("json-array", {("$", "not_object")}, raw_manifest=b"[1, 2]"),
    Case("utf16-bom", {("$", "encoding")}, raw_manifest=b"\xff\xfe{}"),
    Case("too-large-manifest", {("$", "too_large")}, raw_manifest=b" " * (1024 * 1024 + 1)),
    Case("schema-version-2", {("schema_version", "schema_version")}, setter("schema_version", "2")),
    Case("schema-version-int", {("schema_version", "schema_version")}, setter("schema_version", 1)),
    Case("schema-version-missing", {("schema_version", "schema_version")}, deleter("schema_version")),
    Case("unknown-key", {("colour", "extra_forbidden")}, setter("colour", "blue")),
    # --- identity
    Case("model-name-missing", {("model_name", "missing")}, deleter("model_name")),
    Case("model-name-symbols", {("model_name", PAT)}, setter("model_name", "churn_model!")),
    Case("model-name-leading-hyphen", {("model_name", PAT)}, setter("model_name", "-churn")),
    Case("model-name-64-chars", {("model_name", PAT)}, setter("model_name", "m" * 64)),
    Case("model-name-number", {("model_name", "string_type")}, setter("model_name", 42)),
    Case("name-not-path", {("model_name", "path_mismatch")}, setter("model_name", "other-model")),
    Case("version-not-path", {("version", "path_mismatch")}, setter("version", "v2")),
    Case("version-traversal", {("version", PAT)}, setter("version", "../v1")),
    Case("owner-missing", {("owner", "missing")}, deleter("owner")),
    Case("aws-tag", {("tags.aws:team", "reserved_tag")}, setter("tags", {"aws:team": "x"})),
    Case("description-too-long", {("description", "string_too_long")}, setter("description", "d" * 2000)),
    # --- artifact declaration
    Case("artifact-missing-section", {("artifact", "missing")}, deleter("artifact")),
    Case("sha-not-hex", {("artifact.sha256", PAT)}, declared_sha="z" * 64),
    Case("sha-short", {("artifact.sha256", PAT)}, declared_sha="ab" * 8),
    Case(
        "artifact-name-traversal",
        {("artifact.file_name", PAT)},
        setter("artifact.file_name", "../model.tar.gz"),
    ),
    # --- image
    Case(
        "image-and-framework",
        {("image_uri", "image_source")},
        setter("image_uri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"),
    ),
    Case(
        "no-image-source",
        {("framework", "image_source")},
        combine(deleter("framework"), deleter("framework_version")),
    ),
    Case("framework-version-missing", {("framework_version", "missing")}, deleter("framework_version")),
    Case("unknown-framework", {("framework", "enum")}, setter("framework", "caffe")),
    Case(
        "unsupported-framework-version",
        {("framework_version", "unsupported")},
        setter("framework_version", "0.1"),
    ),
    Case(
        "sklearn-on-gpu",
        {("inference.instance_type", "unsupported")},
        setter("inference.instance_type", "ml.g5.xlarge"),
    ),
    Case(
        "image-other-region",
        {("image_uri", "image_region")},
        combine(
            deleter("framework"),
            deleter("framework_version"),
            setter("image_uri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1"),
        ),
    ),
    Case(
        "image-not-ecr",
        {("image_uri", PAT)},
        combine(
            deleter("framework"),
            deleter("framework_version"),
            setter("image_uri", "docker.io/library/python:3"),
        ),
    ),
    # --- inference
    Case(
        "count-as-string",
        {("inference.initial_instance_count", "int_type")},
        setter("inference.initial_instance_count", "2"),
    ),
    Case(
        "count-zero",
        {("inference.initial_instance_count", "greater_than_equal")},
        setter("inference.initial_instance_count", 0),
    ),
    Case(
        "instance-type-no-ml",
        {("inference.instance_type", PAT)},
        setter("inference.instance_type", "m5.large"),
    ),
    Case(
        "unknown-inference-type", {("inference", "union_tag_invalid")}, setter("inference", {"type": "edge"})
    ),
    Case(
        "serverless-memory-1000",
        {("inference.memory_size_mb", "literal_error")},
        combine(setter("inference", dict(SERVERLESS, memory_size_mb=1000)), setter("deployment", {})),
    ),
    Case(
        "serverless-concurrency-201",
        {("inference.max_concurrency", "less_than_equal")},
        combine(setter("inference", dict(SERVERLESS, max_concurrency=201)), setter("deployment", {})),
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
        "batch-no-input",
        {("inference.input_path", "missing")},
        combine(
            setter("inference", {"type": "batch", "output_path": "s3://out-bucket/x"}),
            setter("deployment", {}),
        ),
    ),
    Case(
        "autoscaling-inverted",
        {("inference.autoscaling.min_capacity", "range"), ("inference.initial_instance_count", "range")},
        setter("inference.autoscaling", {"min_capacity": 3, "max_capacity": 2}),
    ),
    # --- rollout, capture, monitoring
    Case(
        "canary-60",
        {("deployment.canary_percent", "less_than_equal")},
        setter("deployment.canary_percent", 60),
    ),
    Case(
        "bake-negative",
        {("deployment.bake_minutes", "greater_than_equal")},
        setter("deployment.bake_minutes", -1),
    ),
    Case("unknown-strategy", {("deployment.strategy", "enum")}, setter("deployment.strategy", "rolling")),
    Case(
        "sampling-101",
        {("data_capture.sampling_percent", "less_than_equal")},
        setter("data_capture.sampling_percent", 101),
    ),
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
    Case("bad-schedule", {("monitoring.schedule", PAT)}, setter("monitoring.schedule", "every hour")),
    Case(
        "baseline-traversal",
        {("monitoring.baseline_dataset_key", "value_error")},
        setter("monitoring.baseline_dataset_key", "data/../../secrets.csv"),
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


@each_case(CASES)
def test_invalid_upload_is_rejected_with_its_problems(
    shared_registry: Registry, index_case: tuple[int, Case]
) -> None:
    index, case = index_case
    assert_rejected(shared_registry, case, f"case-{index}")


def test_suite_has_at_least_forty_distinct_cases() -> None:
    assert len({c.id for c in CASES}) == len(CASES) >= 40
