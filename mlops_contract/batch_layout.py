"""Where batch transform data lives, and which input prefixes a run may name (shared by CDK and Python).

Batch input and results stay in production's own data bucket (the one holding that stage's data capture and
ground truth), under prefixes the platform grants narrowly: a batch role reads only `batch-input/` and writes
only `batch-output/`. A run names its input as a prefix relative to its model's folder
`batch-input/<model_name>/`, never a bucket or a URI, so it cannot reach another model's data or another
bucket. The refusals are wildcard patterns (`*` stands for any text) because the workflow applies them in
Step Functions Choice states (`StringMatches`) before any job starts; `mlops_manifest` applies the same
patterns to a manifest's `input_path`.
"""

from __future__ import annotations

import re

BATCH_INPUT_PREFIX = "batch-input/"
BATCH_OUTPUT_PREFIX = "batch-output/"
# S3 keys are at most 1024 bytes; the prefix leaves room for the model's folder and the file names.
MAX_INPUT_PREFIX = 512
INPUT_LOCATION_WORDS = (
    "a prefix relative to the model's batch input folder s3://<production data-capture bucket>/"
    f"{BATCH_INPUT_PREFIX}<model_name>/ (for example daily/2025-11-26/): no bucket, no s3:// or other URI, "
    "no leading '/', no '..' segment, no empty segment ('//'), not empty"
)
OUTPUT_LOCATION_WORDS = (
    "Batch results are written to s3://<production data-capture bucket>/"
    f"{BATCH_OUTPUT_PREFIX}<model_name>/<transformJobName>/, the only prefix the batch role may write "
    "(least privilege; production data stays in production's account)."
)
# Detail types of the outcome events a workflow in a stage account announces (forwarded to the tooling bus).
BATCH_DETAIL_TYPES = {"succeeded": "Batch Transform Succeeded", "failed": "Batch Transform Failed"}
# (Step Functions StringMatches pattern, what is wrong in plain words), checked in this order.
REFUSED_INPUT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("*:*", "names a URI, a bucket or an ARN (it has a ':'); give a prefix relative to the model's folder"),
    ("/*", "starts with '/' (an absolute path); give a prefix relative to the model's folder"),
    ("..", "is '..', which would leave the model's folder"),
    ("../*", "starts with a '..' segment, which would leave the model's folder"),
    ("*/..", "ends with a '..' segment, which would leave the model's folder"),
    ("*/../*", "has a '..' segment, which would leave the model's folder"),
    ("*//*", "has an empty segment ('//')"),
)


def _wildcard(pattern: str) -> re.Pattern[str]:
    """The regular expression of a StringMatches pattern (only `*` is special in the patterns above)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


_REFUSALS = tuple((_wildcard(pattern), words) for pattern, words in REFUSED_INPUT_PREFIXES)


def input_prefix_problem(prefix: object) -> str | None:
    """Why `prefix` cannot be a batch input prefix, in plain words; None when it can."""
    if not isinstance(prefix, str):
        return "is not text; give a prefix relative to the model's folder, e.g. daily/"
    if not prefix:
        return "is empty; name the folder under the model's batch input folder that holds this run's data"
    if len(prefix) > MAX_INPUT_PREFIX:
        return f"is {len(prefix)} characters long; at most {MAX_INPUT_PREFIX} are allowed"
    for pattern, words in _REFUSALS:
        if pattern.fullmatch(prefix):
            return words
    return None


def batch_input_key(model_name: str, prefix: str) -> str:
    """The S3 key prefix a run of `model_name` reads: batch-input/<model_name>/<prefix>."""
    return f"{BATCH_INPUT_PREFIX}{model_name}/{prefix}"
