"""Registry-approval entry point: a package approved or rejected in the registry → the pipeline's approval."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.registry_approval.service import Clients
    from lambdas.registry_approval.settings import Settings


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("registry_approval")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer the pending approval of the decided package; other events and idle pipelines are no error."""
    from lambdas.registry_approval.service import decide

    return runtime.answer_event(
        event,
        lambda e, c, s: decide(e, c, s).to_dict(),
        metric_prefix="RegistryApproval",
        message="registry decision handled",
    )
