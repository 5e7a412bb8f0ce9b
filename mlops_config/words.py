"""A config's problems in plain words: what each field allows, never the regular expression behind it."""

from __future__ import annotations

from pydantic import ValidationError

from mlops_manifest.problems import from_pydantic_errors
from mlops_manifest.text_rules import words_for

_WORDS = {
    r"^\d{12}$": 'a 12-digit AWS account ID in quotes, such as "111122223333"',
    r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$": "an AWS Region code such as eu-west-1 or us-gov-west-1",
    r"^[A-Za-z][A-Za-z0-9]{0,29}$": "1-30 letters and digits, starting with a letter "
    "(it prefixes stack names)",
    r"^[a-z][a-z0-9-]{0,19}$": "1-20 lowercase letters, digits and hyphens, starting with a letter",
    r"^subnet-[0-9a-f]{8,17}$": "a subnet ID such as subnet-0123456789abcdef0",
    r"^sg-[0-9a-f]{8,17}$": "a security group ID such as sg-0123456789abcdef0",
    r"^arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9_+=,.@/-]+$": "an IAM role ARN such as "
    "arn:aws:iam::111122223333:role/mlops-reader",
    r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d:"
    r"\d{12}:connection/[0-9a-f-]{36}$": "a CodeConnections connection ARN such as "
    "arn:aws:codeconnections:eu-west-1:111122223333:connection/<36-character id>",
    r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$": "a repository as owner/name (GitLab: group/subgroup/name)",
    r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)*$": "a branch name such as main or release/2026",
    r"^[^\s/][^\s]{0,254}$": "a path pattern relative to the repository, without spaces or a leading '/'",
    r"^[A-Za-z0-9_-][A-Za-z0-9._/-]{0,254}\.json$": "a .json file path relative to the repository",
    r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^/]+/)*$": "an S3 prefix ending in '/', such as "
    "s3://my-bucket/training/",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "an S3 bucket name: 3-63 lowercase "
    "letters, digits, dots and hyphens",
}


def pattern_words(pattern: str) -> str | None:
    """The plain-words rule of a config pattern (or of a manifest pattern the config reuses)."""
    return _WORDS.get(pattern) or words_for(pattern)


def config_problems(error: ValidationError) -> list[str]:
    """One line per problem: the field, what was found, what is allowed."""
    lines = []
    for problem in from_pydantic_errors(error.errors(include_url=False), pattern_words=pattern_words):
        where = problem.path if problem.path != "$" else "(the config as a whole)"
        if problem.found.startswith(("(missing)", "{")):  # a missing field, or a rule across fields
            lines.append(f"{where}: {problem.allowed}")
        else:
            lines.append(f"{where}: found {problem.found}; allowed: {problem.allowed}")
    return lines
