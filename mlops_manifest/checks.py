"""Cross-field rules of the manifest: the ones a single field's type cannot express."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_manifest.deployment import DeploymentStrategy
from mlops_manifest.environment import environment_problems
from mlops_manifest.inference import (
    AsyncInference,
    Autoscaling,
    BatchInference,
    InferenceType,
    RealtimeInference,
)
from mlops_manifest.monitoring_checks import monitoring_problems
from mlops_manifest.problems import Problem, describe
from mlops_manifest.serving_checks import serving_problems

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest

# Canary and linear shifting move a share of the new fleet's *instances*; serverless endpoints have no
# instance fleet (SageMaker also excludes them from rolling deployments), and batch has no endpoint.
GUARDRAIL_INCOMPATIBLE = frozenset({InferenceType.SERVERLESS, InferenceType.BATCH})


def cross_check(manifest: Manifest) -> list[Problem]:
    """Return every cross-field problem of a manifest whose fields are individually valid."""
    return [
        *_image_source(manifest),
        *_strategy(manifest),
        *_autoscaling(manifest),
        *monitoring_problems(manifest),
        *_endpoint_only(manifest),
        *_tags(manifest),
        *serving_problems(manifest),
        *environment_problems(manifest),
    ]


def _image_source(m: Manifest) -> list[Problem]:
    """Exactly one of a built-in framework (with its version) or a custom image."""
    if m.framework is not None and m.image_uri is not None:
        return [
            Problem(
                "image_uri",
                describe(m.image_uri),
                "either framework + framework_version or image_uri, not both",
                "image_source",
            )
        ]
    if m.framework is None and m.image_uri is None:
        return [
            Problem(
                "framework",
                "(missing)",
                "framework + framework_version, or image_uri for a custom image",
                "image_source",
            )
        ]
    if m.framework is not None and m.framework_version is None:
        return [Problem("framework_version", "(missing)", f"a {m.framework} version", "missing")]
    if m.framework is None and m.framework_version is not None:
        return [
            Problem(
                "framework_version",
                describe(m.framework_version),
                "framework_version only together with framework",
                "image_source",
            )
        ]
    return []


def _strategy(m: Manifest) -> list[Problem]:
    """Canary and linear traffic shifting need an instance-backed endpoint."""
    strategy = m.deployment.strategy
    if strategy is DeploymentStrategy.ALL_AT_ONCE or m.inference.type not in GUARDRAIL_INCOMPATIBLE:
        return []
    reason = (
        "serverless endpoints have no instance fleet to shift in steps"
        if m.inference.type is InferenceType.SERVERLESS
        else "batch transform has no endpoint traffic to shift"
    )
    return [
        Problem(
            "deployment.strategy",
            describe(str(strategy)),
            f"all_at_once for {m.inference.type} inference: {reason}; "
            "canary and linear need realtime or async",
            "strategy_unsupported",
        )
    ]


def _autoscaling(m: Manifest) -> list[Problem]:
    """Autoscaling bounds must be ordered and contain the initial instance count."""
    inference = m.inference
    if not isinstance(inference, RealtimeInference | AsyncInference) or inference.autoscaling is None:
        return []
    scaling: Autoscaling = inference.autoscaling
    problems: list[Problem] = []
    if scaling.min_capacity > scaling.max_capacity:
        problems.append(
            Problem(
                "inference.autoscaling.min_capacity",
                str(scaling.min_capacity),
                f"at most max_capacity ({scaling.max_capacity})",
                "range",
            )
        )
    if isinstance(inference, RealtimeInference) and scaling.min_capacity < 1:
        problems.append(
            Problem(
                "inference.autoscaling.min_capacity",
                "0",
                "at least 1 for realtime endpoints: a real-time endpoint cannot scale to zero instances "
                "(only async endpoints can)",
                "range",
            )
        )
    if not scaling.min_capacity <= inference.initial_instance_count <= scaling.max_capacity:
        problems.append(
            Problem(
                "inference.initial_instance_count",
                str(inference.initial_instance_count),
                f"between autoscaling min_capacity ({scaling.min_capacity}) "
                f"and max_capacity ({scaling.max_capacity})",
                "range",
            )
        )
    return problems


def _endpoint_only(m: Manifest) -> list[Problem]:
    """Smoke tests and drift monitoring need an endpoint, which batch transform does not have."""
    if not isinstance(m.inference, BatchInference):
        return _expected_keys(m)
    problems: list[Problem] = []
    if m.smoke_test is not None:
        problems.append(
            Problem("smoke_test", "(set)", "no smoke_test for batch inference", "batch_no_endpoint")
        )
    if m.monitoring.enabled:
        problems.append(
            Problem(
                "monitoring.enabled",
                "true",
                "false for batch inference (drift checks read endpoint data capture)",
                "batch_no_endpoint",
            )
        )
    return problems


def _expected_keys(m: Manifest) -> list[Problem]:
    """Expected response keys only make sense for a JSON object response."""
    test = m.smoke_test
    if test is None or not test.expected_response.keys or test.expected_response.kind == "json_object":
        return []
    return [
        Problem(
            "smoke_test.expected_response.keys",
            describe(test.expected_response.keys),
            "keys only with kind json_object",
            "conflict",
        )
    ]


def _tags(m: Manifest) -> list[Problem]:
    """Tag keys may not use the reserved `aws:` prefix."""
    return [
        Problem(f"tags.{key}", describe(key), "a tag key not starting with 'aws:'", "reserved_tag")
        for key in m.tags
        if key.lower().startswith("aws:")
    ]
