"""Fixtures of the infra tests on the session's synthesized default app."""

import pytest
from aws_cdk.assertions import Template


@pytest.fixture(scope="session")
def tooling_template(synthesized_app) -> Template:
    """The default config's tooling stack template."""
    return synthesized_app.template("Tooling")
