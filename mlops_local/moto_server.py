"""The embedded AWS: a moto server on 127.0.0.1 plus the endpoint emulator, with boto3 pointed at both."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import urllib.request
import warnings
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from mlops_local.accounts import RoleSessions
from mlops_local.endpoint_emulator import EndpointEmulator
from mlops_local.running import Running

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "mlops-local", "AWS_SECRET_ACCESS_KEY": "mlops-local"}
# Variables that would send boto3 elsewhere (or sign with real credentials) while local mode runs.
_CLEARED = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_DEFAULT_PROFILE")
# Who runs local mode in a tooling account other than moto's default one (a platform engineer's role).
TOOLING_OPERATOR = "arn:aws:iam::{account}:role/mlops-local-platform-engineer"


def _reset(url: str) -> None:
    """Empty moto: its accounts live in this process's memory, and bucket names are global there, so the
    next local AWS of the process (the end-to-end tests start two) would find this one's buckets."""
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")  # noqa: S310 - our own http://127.0.0.1
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - the same loopback URL


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalAws(Running):
    """Starts moto and the emulator; while running, every plain `boto3.client(...)` talks to them, signed
    with credentials of the tooling account (moto's default account unless another is given)."""

    def __init__(self, tooling_account: str = ACCOUNT) -> None:
        self.tooling_account = tooling_account
        self._sessions: RoleSessions | None = None
        self._server: ThreadedMotoServer | None = None
        self._saved: dict[str, str | None] = {}
        self.url = ""
        self.emulator: EndpointEmulator | None = None
        self._clients: dict[str, Any] = {}
        self._session: boto3.session.Session | None = None

    def start(self) -> LocalAws:
        """Start the server, point the environment at it, then start the emulator (it writes to S3)."""
        # No access log lines, and no warning for each resource type moto's CloudFormation skips.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        logging.getLogger("moto").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="Tried to parse", category=UserWarning)
        port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        self.url = f"http://127.0.0.1:{port}"
        self._set_environment({"AWS_ENDPOINT_URL": self.url, **_FAKE_CREDENTIALS})
        if self.tooling_account != ACCOUNT:
            self._set_environment(self._tooling_credentials())
        self.emulator = EndpointEmulator(self.client("s3")).start()
        self._set_environment({"AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME": self.emulator.url})
        # The handlers' plain boto3.client(...) calls share this session, and with it the service models
        # already loaded (each new session reads them from disk again). Clients read the variables above
        # when they are created, not when the session is.
        boto3.DEFAULT_SESSION = self._shared_session()
        return self

    def _tooling_credentials(self) -> dict[str, str]:
        """Keys of the tooling account, from STS: moto signs every request into the keys' account."""
        sts = boto3.session.Session(region_name=REGION).client("sts")
        role = TOOLING_OPERATOR.format(account=self.tooling_account)
        keys = sts.assume_role(RoleArn=role, RoleSessionName="mlops-local")["Credentials"]
        return {
            "AWS_ACCESS_KEY_ID": keys["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
            "AWS_SESSION_TOKEN": keys["SessionToken"],
        }

    @property
    def sessions(self) -> RoleSessions:
        """Roles of other accounts, assumed with the tooling credentials."""
        if self._sessions is None:
            self._sessions = RoleSessions(self._shared_session())
        return self._sessions

    def _shared_session(self) -> boto3.session.Session:
        """The one session every local-mode client comes from."""
        if self._session is None:
            self._session = boto3.session.Session(region_name=REGION)
        return self._session

    def _set_environment(self, values: dict[str, str]) -> None:
        """Set variables, remembering the previous values once so stop() restores them."""
        base = {"AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, **values}
        if not self._saved:  # the first call: nothing of the caller's own AWS settings may leak in
            for name in _CLEARED:
                self._saved[name] = os.environ.pop(name, None)
        for name in base:
            self._saved.setdefault(name, os.environ.get(name))
        os.environ.update(base)

    def client(self, service: str) -> Any:
        """A boto3 client for the local services (one per service: creating clients is slow)."""
        if service not in self._clients:
            self._clients[service] = self._shared_session().client(service)
        return self._clients[service]

    def stop(self) -> None:
        """Stop the emulator and the server and restore the environment; safe to call twice."""
        try:
            if self.emulator is not None:
                self.emulator.close()
        finally:
            self.emulator = None
            if self._server is not None:
                _reset(self.url)
                self._server.stop()
                self._server = None
            for name, value in self._saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            self._saved.clear()
            self._clients.clear()
            self._session = self._sessions = None
            boto3.DEFAULT_SESSION = None
