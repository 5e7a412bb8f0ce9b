"""The smallest valid training spec, which the training tests extend with what they check."""

from __future__ import annotations

import json
from typing import Any

from mlops_manifest import Problem
from mlops_training.spec import TrainingSpec
from mlops_training.validate import validate_training_spec

BUCKET = "s3://ml-data"


def minimal_spec(**overrides: Any) -> dict[str, Any]:
    """A fresh minimal spec (scikit-learn script) with top-level fields replaced or added by `overrides`."""
    return {
        "schema_version": "1",
        "model_name": "churn",
        "owner": "ds@example.com",
        "job": {
            "kind": "framework_script",
            "framework": "sklearn",
            "framework_version": "1.2-1",
            "source_uri": f"{BUCKET}/code/churn/source.tar.gz",
            "entry_point": "train.py",
        },
        "channels": [{"name": "train", "uri": f"{BUCKET}/datasets/churn/train/"}],
        "evaluation": {
            "metric": "accuracy",
            "threshold": 0.9,
            "held_out_uri": f"{BUCKET}/datasets/churn/held-out.csv",
            "problem_type": "binary_classification",
            "target_column": "churned",
        },
        **overrides,
    }


def check(doc: Any, *prefixes: str) -> TrainingSpec | list[Problem]:
    """Validate a document (encoded as JSON) with the given allowed prefixes."""
    return validate_training_spec(json.dumps(doc).encode(), allowed_prefixes=prefixes)


def problems_of(doc: Any, *prefixes: str) -> dict[str, Problem]:
    """The problems of an invalid document by path (the test fails when the document is valid)."""
    result = check(doc, *prefixes)
    assert isinstance(result, list), "expected problems, the spec is valid"
    return {problem.path: problem for problem in result}
