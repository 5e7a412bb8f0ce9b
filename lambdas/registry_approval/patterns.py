"""EventBridge rule pattern (default bus) that targets the registry-approval function."""

from __future__ import annotations

from lambdas.common.events import MODEL_PACKAGE_STATE_CHANGE as MODEL_PACKAGE_STATE_CHANGE
from lambdas.common.events import rule_pattern

# The registry decisions the function passes on; PendingManualApproval (a new package) is not one.
DECISIONS = ("Approved", "Rejected")
PACKAGE_APPROVED_PATTERN = rule_pattern(
    "aws.sagemaker", [MODEL_PACKAGE_STATE_CHANGE], {"ModelApprovalStatus": list(DECISIONS)}
)
