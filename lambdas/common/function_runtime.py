"""The skeleton every handler shares: Powertools logging and metrics, settings and clients built once.

Tracing is Lambda's active X-Ray tracing (set by the construct): no X-Ray SDK is imported or bundled.
Settings and boto3 clients are built on the first event, not at import, so importing a handler stays cheap
and tests or local mode can swap in their own (`override`) or rebuild them after changing the environment
(`reset`).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

METRICS_NAMESPACE = "MLOpsOrchestrator"

S = TypeVar("S")
C = TypeVar("C")
Handler = Callable[[dict[str, Any], Any], Any]


class FunctionRuntime(Generic[S, C]):
    """One function's logger and metrics, plus its settings and clients built once per environment.

    By default the function's package `lambdas/<service>/` provides them: `settings.load_settings()` parses
    the environment and `service.Clients` (fields named after boto3 services) gets one client per field.
    """

    def __init__(
        self,
        service: str,
        *,
        settings: Callable[[], S] | None = None,
        clients: Callable[[S], C] | None = None,
    ) -> None:
        self.logger = Logger(service=service)
        self.metrics = Metrics(namespace=METRICS_NAMESPACE, service=service)
        package = f"lambdas.{service}"
        self._load_settings = settings or (lambda: _module(f"{package}.settings").load_settings())
        self._build_clients = clients or (lambda _: boto3_clients(_module(f"{package}.service").Clients))
        self._built: tuple[S, C] | None = None

    def get(self) -> tuple[S, C]:
        """(settings, clients), built on first use and kept for the execution environment's life."""
        if self._built is None:
            settings = self._load_settings()
            self._built = (settings, self._build_clients(settings))
        return self._built

    def override(self, settings: S, clients: C) -> None:
        """Use these instead of building them (tests)."""
        self._built = (settings, clients)

    def reset(self) -> None:
        """Forget what was built: the next event parses the environment again (tests, local mode)."""
        self._built = None

    def count(self, metric: str) -> None:
        """Add one to a count metric of this invocation."""
        self.metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)

    def note_event_source(self, event: dict[str, Any]) -> None:
        """Put an EventBridge event's source and detail type into every later log line."""
        self.logger.append_keys(source=event.get("source"), detail_type=event.get("detail-type"))

    def record(self, metric_prefix: str, status: str, message: str, details: dict[str, Any]) -> None:
        """Log an outcome (as an error when it failed) and count it; ignored events are not counted."""
        log = self.logger.error if status == "failed" else self.logger.info
        log(message, extra=details)
        if status != "ignored":
            self.count(f"{metric_prefix}_{status}")

    def answer_event(
        self,
        event: dict[str, Any],
        handle: Callable[[dict[str, Any], C, S], dict[str, Any]],
        *,
        metric_prefix: str,
        message: str,
    ) -> dict[str, Any]:
        """Handle an EventBridge event with the settings and clients built once; log and count its outcome."""
        self.note_event_source(event)
        settings, clients = self.get()
        outcome = handle(event, clients, settings)
        self.record(metric_prefix, outcome["status"], message, outcome)
        return outcome

    def handler(self, function: Handler) -> Handler:
        """Wrap a Lambda entry point: request context in every log line, metrics flushed at the end."""
        logged = self.logger.inject_lambda_context(log_event=False)(function)
        wrapped: Handler = self.metrics.log_metrics(capture_cold_start_metric=True)(logged)
        return wrapped


def boto3_clients(clients_type: type[C], **overrides: Any) -> C:
    """An instance of a `Clients` dataclass whose fields are named after boto3 services, one client each.

    Each client is made on its first use: an event that needs two of five clients (a rejected upload, a
    repeated delivery) does not pay for loading the other three service models.
    """
    names = [field.name for field in dataclasses.fields(clients_type)]  # type: ignore[arg-type]
    made = {name: overrides[name] if name in overrides else LazyClient(name) for name in names}
    return clients_type(**made)


class LazyClient:
    """A boto3 client for one service, created on first attribute access and then used directly."""

    def __init__(self, service: str) -> None:
        self.service = service
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            import boto3  # deferred: paid with the first call, not at import

            self._client = boto3.client(self.service)
        return getattr(self._client, name)


def _module(name: str) -> Any:
    """A function's own module, imported on first use (deferred: handler imports stay cheap)."""
    return importlib.import_module(name)
