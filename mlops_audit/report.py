"""Renders the compliance report (Markdown) from a cloud assembly folder."""

import json
from dataclasses import dataclass
from pathlib import Path

from mlops_audit import facts, iam_scanners
from mlops_audit.nag_rules import read_rules_markdown, rules_by_pack


@dataclass(frozen=True)
class Summary:
    """The headline figures, printed after synthesis."""

    templates: int
    resources: int
    violations: int
    acknowledged: int
    unencrypted: int


def write_report(assembly: Path, packs: list[str]) -> Summary:
    """Write `compliance-report.md` into the assembly folder and return its headline figures."""
    templates = {
        path.name.removesuffix(".template.json"): json.loads(path.read_text())
        for path in template_paths(assembly)
    }
    violations = _violations(assembly)
    lines = ["# Compliance report", "", *_pack_section(packs, violations)]
    acknowledged, unencrypted, total = 0, 0, 0
    for name, template in templates.items():
        counts = facts.resource_counts(template)
        acks = facts.acknowledgements(template)
        encryption = facts.encryption_statuses(template)
        total += sum(counts.values())
        acknowledged += len(acks)
        unencrypted += sum(1 for e in encryption if e.encryption == "NOT ENCRYPTED")
        lines += _template_section(name, counts, acks, facts.role_grants(template), encryption)
    lines += iam_scanners.report_lines(iam_scanners.scan_templates(template_paths(assembly)))
    (assembly / "compliance-report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Summary(len(templates), total, len(violations), acknowledged, unencrypted)


def template_paths(assembly: Path) -> list[Path]:
    """Templates of the assembly and of nested assemblies (the endpoint blueprints), not of assets."""
    nested = [p for p in assembly.glob("*/*.template.json") if not p.parent.name.startswith("asset.")]
    return sorted([*assembly.glob("*.template.json"), *nested])


def _violations(assembly: Path) -> list[str]:
    reports = [assembly / "validation-report.json", *assembly.glob("*/validation-report.json")]
    return [line for path in reports if path.exists() for line in _report_violations(path)]


def _report_violations(report_path: Path) -> list[str]:
    report = json.loads(report_path.read_text())
    return [
        f"{violation['ruleName']} on {construct['constructPath']}"
        for plugin in report.get("pluginReports", [])
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def _pack_section(packs: list[str], violations: list[str]) -> list[str]:
    catalogue = rules_by_pack(read_rules_markdown())
    lines = ["## cdk-nag rule packs", "", "| pack | rules evaluated |", "| --- | --- |"]
    lines += [f"| {pack} | {len(catalogue.get(pack, []))} |" for pack in packs]
    verdict = "none" if not violations else f"{len(violations)}"
    lines += ["", f"Unacknowledged findings: **{verdict}**", ""]
    lines += [f"- {violation}" for violation in violations]
    return lines


def _template_section(
    name: str,
    counts: dict[str, int],
    acks: list[facts.Acknowledgement],
    grants: list[facts.Grant],
    encryption: list[facts.EncryptionStatus],
) -> list[str]:
    lines = [
        f"## Stack `{name}`",
        "",
        f"{sum(counts.values())} resources.",
        "",
        "| type | count |",
        "| --- | --- |",
    ]
    lines += [f"| {kind} | {count} |" for kind, count in sorted(counts.items())]
    lines += [
        "",
        "### Acknowledged findings",
        "",
        "| tool | resource | rule | reason |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {a.tool} | {a.resource} | {a.rule} | {a.reason} |" for a in acks] or ["| | | none | |"]
    lines += [
        "",
        "### IAM roles and what they allow",
        "",
        "| role | actions | resources |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {g.role} | {', '.join(g.actions)} | {', '.join(g.resources)} |" for g in grants] or [
        "| none | | |"
    ]
    lines += ["", "### Encryption at rest", "", "| resource | type | encryption |", "| --- | --- | --- |"]
    lines += [f"| {e.resource} | {e.resource_type} | {e.encryption} |" for e in encryption]
    return [*lines, ""]
