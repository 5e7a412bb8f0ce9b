"""Text patterns the training spec adds to the manifest's, each with its rule in plain words."""

from __future__ import annotations

from mlops_manifest.text_rules import TextRule

ENTRY_POINT = TextRule(
    r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\.py$",
    "a Python file name such as train.py (letters, digits, dots, underscores and hyphens; no folders)",
)
SOURCE_ARCHIVE = TextRule(
    r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S*\.tar\.gz$",
    "the S3 URI of a .tar.gz archive of the training code, such as s3://my-bucket/code/source.tar.gz",
)
# SageMaker hyperparameter names are free text; ours are names a script can read from its arguments.
HYPERPARAMETER_NAME = TextRule(
    r"^[A-Za-z_][A-Za-z0-9_.:-]{0,255}$",
    "a name of up to 256 letters, digits and the characters _ . : - starting with a letter or underscore",
)
METRIC_NAME = TextRule(
    r"^\S{1,255}$", "a metric name of 1-255 characters without spaces, such as validation:auc"
)

RULES = (ENTRY_POINT, SOURCE_ARCHIVE, HYPERPARAMETER_NAME, METRIC_NAME)
_WORDS = {rule.pattern: rule.words for rule in RULES}


def words_for(pattern: str) -> str | None:
    """The plain-words rule of a training-spec pattern, or None when the pattern is not the spec's own."""
    return _WORDS.get(pattern)
