"""Every text pattern of the manifest, each with the same rule in plain words.

The regular expression goes into the JSON Schema; people are shown the words (a rejected upload never quotes
a regex). A test checks that every pattern in the generated schema has its words here.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_contract.serving import VALUE_PATTERN, VALUE_WORDS


@dataclass(frozen=True)
class TextRule:
    """A pattern for the schema and its rule in words for error messages."""

    pattern: str
    words: str


# SageMaker resource names (model package groups, endpoints): CreateModelPackageGroup's pattern.
SAGEMAKER_NAME = TextRule(
    r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
    "letters, digits and hyphens, starting and ending with a letter or digit",
)
# One S3 path segment that cannot climb (`.`/`..` are excluded by the leading letter or digit).
PATH_SEGMENT = TextRule(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    "1-64 letters, digits, dots, underscores and hyphens, starting with a letter or digit",
)
INSTANCE_TYPE = TextRule(
    r"^ml\.[a-z0-9]+\.[a-z0-9]+$",
    "a SageMaker instance type such as ml.m5.large ('ml.', a family, a dot, a size; lowercase)",
)
S3_URI = TextRule(
    r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\s]*)?$",
    "an S3 URI such as s3://my-bucket/results/ (a bucket name of 3-63 lowercase letters, digits, dots "
    "and hyphens, then an optional path without spaces)",
)
SNS_TOPIC_ARN = TextRule(
    r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$",
    "an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:my-topic",
)
MIME_TYPE = TextRule(
    r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$",
    "a media type such as text/csv (type, a slash, subtype; no spaces or parameters)",
)
NON_BLANK = TextRule(r"^\S(.*\S)?$", "text that neither starts nor ends with a space")
IMAGE_URI = TextRule(
    r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/[a-z0-9][a-z0-9._/-]{0,255}"
    r"(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$",
    "a private Amazon ECR image such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1.0 "
    "(by tag) or .../my-model@sha256:<64 hex digits> (by digest)",
)
ARTIFACT_NAME = TextRule(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.tar\.gz$",
    "a file name ending in .tar.gz (letters, digits, dots, underscores and hyphens, starting with a "
    "letter or digit; no folders)",
)
SHA256_HEX = TextRule(
    r"^[0-9a-f]{64}$", "64 lowercase hexadecimal characters (0-9, a-f), as sha256sum prints"
)
TAG_KEY = TextRule(
    r"^[A-Za-z0-9_.:/=+@ -]{1,128}$", "1-128 letters, digits, spaces and the characters _ . : / = + @ -"
)
TAG_VALUE = TextRule(
    r"^[A-Za-z0-9_.:/=+@ -]{0,256}$", "up to 256 letters, digits, spaces and the characters _ . : / = + @ -"
)
FRAMEWORK_VERSION = TextRule(
    r"^[0-9][A-Za-z0-9._-]{0,31}$",
    "a version such as 1.7-1 (up to 32 letters, digits, dots, underscores and hyphens, starting with a "
    "digit)",
)
# EventBridge Scheduler expressions: rate(<n> <unit>) or a six-field cron(...).
SCHEDULE = TextRule(
    r"^(rate\([1-9]\d{0,4} (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$",
    "rate(<number> minutes|hours|days) such as rate(1 hour), or a six-field cron(...) such as "
    "cron(0 6 * * ? *)",
)
# A relative key inside the registry bucket (no leading slash; `..` is checked separately).
DATASET_KEY = TextRule(
    r"^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,1023}$",
    "a relative S3 key of up to 1024 letters, digits and the characters ! _ . * ' ( ) / - "
    "(not starting with a slash)",
)
# The run that produced a trained model: a SageMaker pipeline execution or a Step Functions execution.
EXECUTION_ARN = TextRule(
    r"^arn:aws[a-z-]*:(sagemaker|states):[a-z0-9-]+:\d{12}:[A-Za-z0-9:/_.-]{1,1024}$",
    "a SageMaker pipeline execution or Step Functions execution ARN such as "
    "arn:aws:states:us-east-1:123456789012:execution:train-churn:run-1",
)
# A model package version registered outside this registry and adopted into it.
MODEL_PACKAGE_ARN = TextRule(
    r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/\d{1,9}$",
    "a model package version ARN such as arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/3",
)
# The Autopilot (AutoML V2) job a trained model's candidate came from.
AUTOML_JOB_ARN = TextRule(
    r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:automl-job/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$",
    "an AutoML job ARN such as arn:aws:sagemaker:us-east-1:123456789012:automl-job/churn-250101-120000",
)
# Container environment (manifest `environment`): variable names as shells and SageMaker accept them.
ENV_NAME = TextRule(
    r"^[A-Z][A-Z0-9_]{0,63}$",
    "1-64 upper-case letters, digits and underscores, starting with a letter",
)
# Values: the blueprint's own rule for what its parameters pass (mlops_contract.serving).
ENV_VALUE = TextRule(VALUE_PATTERN, VALUE_WORDS)

RULES = (
    SAGEMAKER_NAME,
    PATH_SEGMENT,
    INSTANCE_TYPE,
    S3_URI,
    SNS_TOPIC_ARN,
    MIME_TYPE,
    NON_BLANK,
    IMAGE_URI,
    ARTIFACT_NAME,
    SHA256_HEX,
    TAG_KEY,
    TAG_VALUE,
    FRAMEWORK_VERSION,
    SCHEDULE,
    DATASET_KEY,
    EXECUTION_ARN,
    MODEL_PACKAGE_ARN,
    AUTOML_JOB_ARN,
    ENV_NAME,
    ENV_VALUE,
)
_WORDS = {rule.pattern: rule.words for rule in RULES}


def words_for(pattern: str) -> str | None:
    """The plain-words rule of a manifest pattern, or None for a pattern that has none (a test forbids it)."""
    return _WORDS.get(pattern)
