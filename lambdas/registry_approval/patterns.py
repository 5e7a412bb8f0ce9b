"""EventBridge rule pattern (default bus) that targets the registry-approval function."""

from __future__ import annotations

from typing import Any

MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"
# The registry decisions the function passes on; PendingManualApproval (a new package) is not one.
DECISIONS = ("Approved", "Rejected")
PACKAGE_APPROVED_PATTERN: dict[str, Any] = {
    "source": ["aws.sagemaker"],
    "detail-type": [MODEL_PACKAGE_STATE_CHANGE],
    "detail": {"ModelApprovalStatus": list(DECISIONS)},
}
