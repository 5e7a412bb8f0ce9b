"""Manifest schema v1 of MLOps Orchestrator: one definition for the register function, CLI and docs."""

from mlops_manifest.images import processor_for, resolve_image, supported_versions
from mlops_manifest.inference import InferenceType
from mlops_manifest.manifest import SCHEMA_VERSION, Artifact, Framework, Manifest
from mlops_manifest.problems import Problem
from mlops_manifest.validate import validate_manifest

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
