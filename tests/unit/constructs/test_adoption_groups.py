"""The adoption function's group table: what its environment carries, and refused when it cannot fit."""

import json

import pytest

from mlops_config.adoption import AdoptionSettings
from mlops_constructs.package_adoption import MAX_GROUPS_JSON, _groups


def settings(count: int, *, tags: int = 0) -> AdoptionSettings:
    groups = [
        {
            "package_group": f"team-{i}",
            "model_name": f"model-{i}",
            "owner": "team@example.com",
            "serving": {"tags": {f"k{j}": "v" * 200 for j in range(tags)}},
        }
        for i in range(count)
    ]
    return AdoptionSettings.model_validate({"artifact_buckets": ["team-models"], "groups": groups})


def test_each_group_s_target_is_carried_with_only_its_non_default_serving() -> None:
    table = json.loads(_groups(settings(2)))

    assert table["team-1"] == {"model_name": "model-1", "owner": "team@example.com", "serving": {}}


def test_groups_that_would_overflow_the_environment_are_refused_at_synthesis() -> None:
    with pytest.raises(ValueError, match=rf"more than {MAX_GROUPS_JSON}: shorten their serving sections"):
        _groups(settings(3, tags=6))
