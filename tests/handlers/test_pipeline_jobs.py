"""The CodePipeline step functions (resolve, smoke test, finalize): a bad job or a crash still answers."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.handlers.finalize_deployment.conftest import EVENT as FINALIZE_EVENT
from tests.handlers.finalize_deployment.conftest import PARAMETERS
from tests.handlers.finalize_deployment.conftest import world as finalize_world  # noqa: F401 (fixture)
from tests.handlers.resolve_package.conftest import (
    RESOLVE_EVENT,
    registered,  # noqa: F401 (fixture)
    resolve_world,  # noqa: F401 (fixture)
)
from tests.handlers.smoke_test.conftest import ENDPOINT
from tests.handlers.smoke_test.conftest import EVENT as SMOKE_EVENT
from tests.handlers.smoke_test.conftest import pipeline as smoke_world  # noqa: F401 (fixture)

RESOLVE_PARAMETERS = json.loads(
    RESOLVE_EVENT["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]["UserParameters"]
)
# step: (fixture, job event, a required UserParameters key, its malformed UserParameters, the domain call)
STEPS: dict[str, tuple[str, dict[str, Any], str, list[str], str]] = {
    "finalize": (
        "finalize_world",
        FINALIZE_EVENT,
        "execution_id",
        ["not json", "[]", json.dumps({**PARAMETERS, "execution_id": ""})],
        "lambdas.finalize_deployment.service.finalize",
    ),
    "resolve": (
        "resolve_world",
        RESOLVE_EVENT,
        "approval_required",
        ["not json", "[]", json.dumps({**RESOLVE_PARAMETERS, "approval_required": "maybe"})],
        "lambdas.resolve_package.service.resolve",
    ),
    "smoke_test": (
        "smoke_world",
        SMOKE_EVENT,
        "manifest_key",
        ["not json", "[]", json.dumps({"endpoint_name": ENDPOINT}), json.dumps({"endpoint_name": ""})],
        "lambdas.smoke_test.service.run_smoke_test",
    ),
}
CASES = [(step, bad) for step, spec in STEPS.items() for bad in spec[3]]


def with_user_parameters(event: dict[str, Any], user_parameters: str) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    changed["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]["UserParameters"] = (
        user_parameters
    )
    return changed


@pytest.mark.parametrize(("step", "user_parameters"), CASES)
def test_malformed_user_parameters_are_a_configuration_error_naming_what_is_expected(
    request, step, user_parameters
):
    fixture, event, required, _, _ = STEPS[step]
    world = request.getfixturevalue(fixture)
    details = world.expect_failure()

    world.invoke(with_user_parameters(event, user_parameters))

    assert details.value["type"] == "ConfigurationError"
    assert required in details.value["message"]


@pytest.mark.parametrize("step", sorted(STEPS))
def test_an_unexpected_crash_still_fails_the_job_naming_the_error(request, monkeypatch, step):
    fixture, _, _, _, domain_call = STEPS[step]
    world = request.getfixturevalue(fixture)

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(domain_call, crash)
    details = world.expect_failure()

    result = world.invoke()

    assert result["passed"] is False
    assert "crashed (RuntimeError)" in details.value["message"]
    assert "bug" not in details.value["message"]  # internals stay in the logs
