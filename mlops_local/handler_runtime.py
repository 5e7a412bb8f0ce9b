"""Runs the real Lambda handlers in-process with their synthesized environment."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from lambdas.common.environment import ENV_SETTLE_SECONDS
from lambdas.common.function_runtime import FunctionRuntime
from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import ACCOUNT, REGION

# Quiet, local-only settings: no JSON log lines or metric blobs on the demo's console, and capture
# files are read as soon as they are written (the deployed default waits a minute for S3 listings).
LOCAL_ENVIRONMENT = {
    "POWERTOOLS_LOG_LEVEL": "ERROR",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    ENV_SETTLE_SECONDS: "0",
}


@dataclass(frozen=True)
class FunctionSpec:
    """One function of the template: its handler path and resolved environment."""

    logical_id: str
    name: str
    handler: str
    environment: Mapping[str, str] = field(default_factory=dict)
    role: str | None = None  # its execution role in another account; None: the tooling credentials


class FakeContext:
    """The parts of the Lambda context object Powertools and the handlers read."""

    def __init__(self, function_name: str, memory_mb: int = 1024) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        """Always a full 15 minutes: local invocations are not timed out."""
        return 900_000


def functions(
    template: dict[str, Any], resources: ResourceMap, *, own_roles: bool = False
) -> dict[str, FunctionSpec]:
    """Every AWS::Lambda::Function of the template by logical ID, environment resolved; with `own_roles`
    (a stack in another account) each runs as its execution role."""
    specs = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        props = resource["Properties"]
        variables = props.get("Environment", {}).get("Variables", {})
        environment = {name: str(resources.resolve(value)) for name, value in variables.items()}
        role = str(resources.resolve(props["Role"])) if own_roles else None
        name = resources.ref(logical_id)
        specs[logical_id] = FunctionSpec(logical_id, name, props["Handler"], environment, role)
    return specs


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set variables for the duration of one invocation, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _default_session(session: boto3.session.Session | None) -> Iterator[None]:
    """Make `session` the one plain `boto3.client(...)` calls use, for one invocation."""
    if session is None:
        yield
        return
    saved, boto3.DEFAULT_SESSION = boto3.DEFAULT_SESSION, session
    try:
        yield
    finally:
        boto3.DEFAULT_SESSION = saved


class HandlerRuntime:
    """Imports handlers once and rebuilds their cached clients whenever their environment changes."""

    def __init__(self, sessions: Callable[[str], boto3.session.Session] | None = None) -> None:
        self._last: dict[str, tuple[tuple[str, str], ...]] = {}
        self._sessions = sessions  # a role's session, for functions of other accounts

    def invoke(self, spec: FunctionSpec, event: Any) -> Any:
        """Call `spec`'s handler with `event` as Lambda would, inside its environment and as its role;
        logs are dropped."""
        environment = {**LOCAL_ENVIRONMENT, **spec.environment, **LOCAL_ENVIRONMENT}
        environment["AWS_LAMBDA_FUNCTION_NAME"] = spec.name
        module_name, function_name = spec.handler.rsplit(".", 1)
        if spec.role is not None and self._sessions is None:
            raise RuntimeError(f"{spec.name} runs as {spec.role}, but no role sessions were given")
        session = self._sessions(spec.role) if spec.role is not None and self._sessions else None
        with _environment(environment), _default_session(session), contextlib.redirect_stdout(io.StringIO()):
            module = importlib.import_module(module_name)
            current = {
                **environment,
                "endpoint": os.environ.get("AWS_ENDPOINT_URL", ""),
                "role": spec.role or "",
            }
            key = tuple(sorted(current.items()))
            if self._last.get(module_name) != key:
                _clear_caches(module)
                self._last[module_name] = key
            return getattr(module, function_name)(event, FakeContext(spec.name))


def _clear_caches(module: Any) -> None:
    """Forget a handler module's settings and clients: its FunctionRuntime and any functools cache."""
    for value in list(vars(module).values()):
        if isinstance(value, FunctionRuntime):
            value.reset()
        clear = getattr(value, "cache_clear", None)
        if callable(clear):
            clear()
