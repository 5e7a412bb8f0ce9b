"""The smallest valid manifest (model churn v1), which tests at every layer extend with what they check."""

from __future__ import annotations

from typing import Any


def minimal_manifest(**overrides: Any) -> dict[str, Any]:
    """A fresh minimal manifest with top-level fields replaced or added by `overrides`."""
    return {
        "schema_version": "1",
        "model_name": "churn",
        "version": "v1",
        "framework": "xgboost",
        "framework_version": "1.7-1",
        "artifact": {"sha256": "a" * 64},
        "owner": "ds@example.com",
        **overrides,
    }


# An ensembling-mode Autopilot candidate's container variables (its own entry point under code/), as the
# register function records them and a stage's Resolve step reads them back.
AUTOPILOT_CANDIDATE_ENVIRONMENT = {
    "SAGEMAKER_PROGRAM": "tabular_serve.py",
    "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    "MODEL_NAME": "WeightedEnsemble_L3",
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
    "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label, probability",
    "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,labels,probabilities",
}
