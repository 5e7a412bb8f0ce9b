"""Manifest schema v1 of MLOps Orchestrator: one definition for the register function, CLI and docs.

Names are loaded on first use (PEP 562): `Problem` or the image table do not pull in pydantic and the
models, which a Lambda cold start would otherwise pay before it has read any manifest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlops_manifest.images import processor_for, resolve_image, supported_versions
    from mlops_manifest.inference import InferenceType
    from mlops_manifest.manifest import SCHEMA_VERSION, Artifact, Framework, Manifest
    from mlops_manifest.problems import Problem
    from mlops_manifest.validate import validate_manifest

_HOMES = {
    "SCHEMA_VERSION": "manifest",
    "Artifact": "manifest",
    "Framework": "manifest",
    "InferenceType": "inference",
    "Manifest": "manifest",
    "Problem": "problems",
    "processor_for": "images",
    "resolve_image": "images",
    "supported_versions": "images",
    "validate_manifest": "validate",
}

__all__ = [
    "SCHEMA_VERSION",
    "Artifact",
    "Framework",
    "InferenceType",
    "Manifest",
    "Problem",
    "processor_for",
    "resolve_image",
    "supported_versions",
    "validate_manifest",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines `name` when it is first asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
