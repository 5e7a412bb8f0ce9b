"""Model quality settings: the names every report-writing check shares (the CDK contract), nothing more."""

from __future__ import annotations

from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import ENV_REPORTS_BUCKET as ENV_REPORTS_BUCKET
from lambdas.common.environment import ENV_SETTLE_SECONDS as ENV_SETTLE_SECONDS
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import CheckSettings as Settings
from lambdas.common.environment import load_check_settings as load_settings

__all__ = [
    "ENV_REGION",
    "ENV_REPORTS_BUCKET",
    "ENV_SETTLE_SECONDS",
    "ENV_TOPIC_ARN",
    "Settings",
    "load_settings",
]
