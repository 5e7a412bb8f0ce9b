"""The registry decision carried by a SageMaker Model Package State Change event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lambdas.registry_approval.patterns import DECISIONS, MODEL_PACKAGE_STATE_CHANGE

MAX_SUMMARY_CHARS = 512  # PutApprovalResult's limit on the summary


@dataclass(frozen=True)
class Decision:
    """An approval or rejection of one model package in the registry."""

    model_package_arn: str
    status: str  # "Approved" | "Rejected", as PutApprovalResult spells them
    decided_by: str | None
    description: str | None
    channel: str = "in the SageMaker Model Registry"  # where the decision was made, for the summary

    def summary(self) -> str:
        """The approval summary CodePipeline records."""
        who = self.decided_by or "an approver the event does not name"
        text = f"{self.status} {self.channel} by {who}"
        text += f": {self.description}" if self.description else f" ({self.model_package_arn})"
        return text[:MAX_SUMMARY_CHARS]


def parse_decision(event: Mapping[str, Any]) -> Decision | None:
    """The decision in the event, or None for any other or malformed event."""
    if event.get("source") != "aws.sagemaker" or event.get("detail-type") != MODEL_PACKAGE_STATE_CHANGE:
        return None
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        return None
    arn, status = detail.get("ModelPackageArn"), detail.get("ModelApprovalStatus")
    if not isinstance(arn, str) or not arn or status not in DECISIONS:
        return None
    description = detail.get("ApprovalDescription")
    return Decision(arn, str(status), _who(detail.get("LastModifiedBy")), _text(description))


def _who(user: Any) -> str | None:
    """The Studio user profile or IAM identity that last changed the package, when the event names one."""
    if not isinstance(user, Mapping):
        return None
    identity = user.get("IamIdentity")
    arn = identity.get("Arn") if isinstance(identity, Mapping) else None
    return _text(user.get("UserProfileName")) or _text(arn)


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
