"""CLI fixtures: the local-mode fixtures (moto server, demo model) and a click runner."""

import socket

import pytest
from click.testing import CliRunner

from mlops_cli.main import cli
from tests.unit.local.conftest import aws_env, demo, moto_url, s3_bucket  # noqa: F401


@pytest.fixture
def run():
    """Invoke `mlops` with arguments; returns click's Result (stdout and stderr kept apart)."""

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env)

    return invoke


@pytest.fixture
def closed_port_url():
    """A loopback URL nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
