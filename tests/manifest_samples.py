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
