"""Reading a function's environment: whole numbers with a lower bound, failing loudly on nonsense."""

from __future__ import annotations

import os
from collections.abc import Mapping

# Names the checks that write reports share (drift check, model quality); their constructs set them.
ENV_REPORTS_BUCKET = "REPORTS_BUCKET_NAME"
ENV_TOPIC_ARN = "NOTIFICATION_TOPIC_ARN"


def environment(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """The given variables, or the process environment when none are given (the deployed case)."""
    return os.environ if env is None else env


def whole_number(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    """An integer variable at least `minimum` (positive by default); the default when unset."""
    value = int(env.get(name, str(default)))
    if value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value}")
    return value
