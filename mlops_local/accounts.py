"""Other accounts in local mode: sessions whose keys moto's STS handed out for a role of that account.

moto keeps every account's resources apart by the account of the access key a request is signed with, and
STS hands out keys in the account of the role's ARN (the role need not exist: moto evaluates no policies).
So "acting as a role of account B" is exactly what it is on AWS: assume the role, use its credentials.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

Hook = Callable[[Any], None]  # registers local mode's botocore handlers on one session's event emitter
SESSION_NAME = "mlops-local"


def account_of(arn: str) -> str:
    """The account of an ARN (`arn:aws:<service>:<region>:<account>:...`)."""
    parts = arn.split(":")
    if len(parts) < 6 or not parts[4]:
        raise ValueError(f"not an ARN with an account: {arn!r}")
    return parts[4]


@dataclass
class RoleClients:
    """Clients acting as one role, created once per service."""

    role_arn: str
    session: boto3.session.Session
    _clients: dict[str, Any] = field(default_factory=dict)

    @property
    def account(self) -> str:
        """The account the role belongs to, and every client here acts in."""
        return account_of(self.role_arn)

    def client(self, service: str) -> Any:
        """A client of the role's session (at local mode's endpoint, from the environment)."""
        if service not in self._clients:
            self._clients[service] = self.session.client(service)
        return self._clients[service]


class RoleSessions:
    """Roles assumed with the tooling session's credentials, each session carrying local mode's hooks."""

    def __init__(self, base: boto3.session.Session) -> None:
        self._base = base
        self._hooks: list[Hook] = []
        self._roles: dict[str, RoleClients] = {}

    def add_hook(self, register: Hook) -> None:
        """Register handlers on the tooling session and every assumed one, now and later."""
        self._hooks.append(register)
        for session in (self._base, *(role.session for role in self._roles.values())):
            register(session.events)

    def assume(self, role_arn: str) -> RoleClients:
        """Clients acting as `role_arn` (assumed once; moto's temporary keys do not expire)."""
        if role_arn not in self._roles:
            sts = self._base.client("sts")
            keys = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
            session = boto3.session.Session(
                aws_access_key_id=keys["AccessKeyId"],
                aws_secret_access_key=keys["SecretAccessKey"],
                aws_session_token=keys["SessionToken"],
                region_name=self._base.region_name,
            )
            # Share the service models already loaded: each new session would read them from disk again.
            loader = self._base._session.get_component("data_loader")
            session._session.register_component("data_loader", loader)
            for register in self._hooks:
                register(session.events)
            self._roles[role_arn] = RoleClients(role_arn, session)
        return self._roles[role_arn]
