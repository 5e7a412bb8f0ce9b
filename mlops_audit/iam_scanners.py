"""Independent IAM scanners over every synthesized template: cloudsplaining and parliament.

cloudsplaining reports identity policies that allow privilege escalation, data exfiltration, resource
exposure or infrastructure modification without resource constraints; parliament lints every policy
(identity, trust, resource) against the AWS action, resource and condition-key catalogue. Each finding
must be acknowledged, with a reason, in `iam_acknowledgements.toml` (the one reviewed file).
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlops_audit.iam_policies import PolicyKind, TemplatePolicy, template_policies

ACKNOWLEDGEMENTS = Path(__file__).resolve().parent / "iam_acknowledgements.toml"
CLOUDSPLAINING, PARLIAMENT = "cloudsplaining", "parliament"
# cloudsplaining's four risk categories and the PolicyDocument property that finds each.
RISKS = {
    "privilege-escalation": "allows_privilege_escalation",
    "data-exfiltration": "allows_data_exfiltration_actions",
    "resource-exposure": "permissions_management_without_constraints",
    "infrastructure-modification": "infrastructure_modification",
}


@dataclass(frozen=True)
class Finding:
    """One scanner finding on one policy: `check` is the risk or issue, `subject` the action or detail."""

    scanner: str
    check: str
    template: str
    resource: str
    subject: str

    def describe(self) -> str:
        """One line for reports and assertion messages."""
        return f"{self.scanner} {self.check} in {self.template}/{self.resource}: {self.subject}"


@dataclass(frozen=True)
class Acknowledgement:
    """A reviewed finding: globs over the finding's fields, and why it is acceptable."""

    scanner: str
    check: str
    resource: str
    subject: str
    reason: str

    def covers(self, finding: Finding) -> bool:
        """Whether this acknowledgement applies to `finding`."""
        return (
            self.scanner == finding.scanner
            and self.check == finding.check
            and fnmatch.fnmatchcase(finding.resource, self.resource)
            and fnmatch.fnmatchcase(finding.subject, self.subject)
        )


@dataclass(frozen=True)
class ScanResults:
    """What the scanners found over a set of templates, split by acknowledgement."""

    policies: int
    acknowledged: tuple[tuple[Finding, str], ...]
    unacknowledged: tuple[Finding, ...]
    unused_acknowledgements: tuple[Acknowledgement, ...]


def scan_policy(policy: TemplatePolicy) -> list[Finding]:
    """Both scanners' findings on one policy (cloudsplaining reads identity policies only)."""
    findings = _parliament(policy)
    if policy.kind is PolicyKind.IDENTITY:
        findings += _cloudsplaining(policy)
    return findings


def scan_templates(
    paths: Iterable[Path], acknowledgements: Sequence[Acknowledgement] | None = None
) -> ScanResults:
    """Scan every policy of the templates and sort the findings by the acknowledgements."""
    acks = load_acknowledgements() if acknowledgements is None else list(acknowledgements)
    policies = [
        policy
        for path in paths
        for policy in template_policies(
            path.name.removesuffix(".template.json"), json.loads(path.read_text())
        )
    ]
    findings = [finding for policy in policies for finding in scan_policy(policy)]
    acknowledged, unacknowledged, used = [], [], set()
    for finding in findings:
        match = next((i for i, ack in enumerate(acks) if ack.covers(finding)), None)
        if match is None:
            unacknowledged.append(finding)
        else:
            used.add(match)
            acknowledged.append((finding, acks[match].reason))
    unused = tuple(ack for i, ack in enumerate(acks) if i not in used)
    return ScanResults(len(policies), tuple(acknowledged), tuple(unacknowledged), unused)


def load_acknowledgements(path: Path = ACKNOWLEDGEMENTS) -> list[Acknowledgement]:
    """The reviewed acknowledgements; each needs a non-empty reason."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("acknowledgement", [])
    acks = [Acknowledgement(**entry) for entry in entries]
    missing = [ack for ack in acks if not ack.reason.strip()]
    if missing:
        raise ValueError(f"acknowledgements without a reason in {path.name}: {missing}")
    return acks


def _cloudsplaining(policy: TemplatePolicy) -> list[Finding]:
    from cloudsplaining.scan.policy_document import PolicyDocument

    document = PolicyDocument(policy.document)
    findings = []
    for risk, attribute in RISKS.items():
        for item in getattr(document, attribute):
            subject = item["type"] if isinstance(item, dict) else str(item)
            findings.append(Finding(CLOUDSPLAINING, risk, policy.template, policy.resource, subject))
    return findings


def _parliament(policy: TemplatePolicy) -> list[Finding]:
    with warnings.catch_warnings():  # parliament 1.6.4 imports pkg_resources, deprecated by setuptools
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import parliament

    analyzed = parliament.analyze_policy_string(json.dumps(_with_version(policy.document)))
    return [
        Finding(PARLIAMENT, finding.issue, policy.template, policy.resource, _detail(finding.detail))
        for finding in analyzed.findings
        if finding.severity != "MUTE"
    ]


def _with_version(document: dict[str, Any]) -> dict[str, Any]:
    """The document as parliament reads it: versioned, numbers as strings (IAM reads both alike)."""
    return {"Version": "2012-10-17", **_numbers_as_text(document)}


def _numbers_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _numbers_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_text(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _detail(detail: Any) -> str:
    return json.dumps(detail, sort_keys=True, default=str) if not isinstance(detail, str) else detail


def report_lines(results: ScanResults) -> list[str]:
    """Markdown section for the compliance report: counts, every unacknowledged finding, reasons given."""
    reasons: dict[str, int] = {}
    for _, reason in results.acknowledged:
        reasons[reason] = reasons.get(reason, 0) + 1
    lines = [
        "## Independent IAM scanners (cloudsplaining, parliament)",
        "",
        f"{results.policies} policies scanned; {len(results.unacknowledged)} unacknowledged findings; "
        f"{len(results.acknowledged)} acknowledged with a reason.",
        "",
    ]
    lines += [f"- UNACKNOWLEDGED: {finding.describe()}" for finding in results.unacknowledged]
    lines += [f"- acknowledged ({count}): {reason}" for reason, count in reasons.items()]
    return [*lines, ""]
