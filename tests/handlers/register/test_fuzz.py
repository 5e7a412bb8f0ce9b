"""Property: any manifest ends registered or rejected with problems, never a crash."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.handlers.register import artifacts as a
from tests.handlers.register.conftest import Registry, valid_manifest

ARTIFACT = a.good_model()
_counter = itertools.count()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
PATHS = [
    ("schema_version",),
    ("model_name",),
    ("version",),
    ("framework",),
    ("framework_version",),
    ("image_uri",),
    ("artifact",),
    ("artifact", "sha256"),
    ("artifact", "file_name"),
    ("inference",),
    ("inference", "type"),
    ("inference", "instance_type"),
    ("inference", "initial_instance_count"),
    ("deployment", "strategy"),
    ("deployment", "canary_percent"),
    ("data_capture", "sampling_percent"),
    ("monitoring",),
    ("monitoring", "enabled"),
    ("smoke_test",),
    ("owner",),
    ("tags",),
    ("unexpected",),
]
INFERENCE = st.sampled_from(
    [
        {"type": "serverless"},
        {"type": "async", "output_path": "s3://out-bucket/x"},
        {"type": "batch", "input_path": "a/"},
        {"type": "realtime", "instance_type": "ml.g5.xlarge"},
    ]
)


def _set(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = document
    for part in path[:-1]:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    # A copy: sampled values are shared between examples, and later mutations may write into them.
    target[path[-1]] = copy.deepcopy(value)


mutations = st.lists(st.tuples(st.sampled_from(PATHS), json_values | INFERENCE), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=mutations)
def test_any_manifest_is_registered_or_rejected(shared_registry: Registry, mutations: list[Any]) -> None:
    version = f"f{next(_counter)}"
    manifest = valid_manifest(version=version, artifact=ARTIFACT)
    for path, value in mutations:
        _set(manifest, path, value)

    outcome = shared_registry.invoke(
        shared_registry.upload(json.dumps(manifest).encode(), ARTIFACT, version=version)
    )

    assert outcome["status"] in {"registered", "already_registered", "rejected"}
    if outcome["status"] == "rejected":
        assert outcome["problem_count"] >= 1 and outcome["report_key"].startswith("rejected/")
    else:
        assert outcome["model_package_arn"].startswith("arn:aws:sagemaker:")
