"""Every handler test runs in one region with fake credentials and no metric output."""

from __future__ import annotations

import pytest

from tests.handlers.fakes import REGION


@pytest.fixture(autouse=True)
def handler_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
