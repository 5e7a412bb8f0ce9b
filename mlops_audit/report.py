"""Renders the compliance report (Markdown) from a cloud assembly: what ran, what it found, what ships."""

import json
from dataclasses import dataclass
from pathlib import Path

from mlops_audit import cross_account, facts, iam_scanners
from mlops_audit.acknowledgements import AckStatus, CheckedAcknowledgement, check_acknowledgements
from mlops_audit.function_sizes import UNZIPPED_LIMIT_BYTES, FunctionSize, function_sizes
from mlops_audit.nag_rules import read_rules_markdown, rules_by_pack
from mlops_audit.pack_record import PackRecord, read_records


@dataclass(frozen=True)
class Summary:
    """The headline figures, printed after synthesis."""

    templates: int
    resources: int
    packs: tuple[str, ...]
    violations: int
    acknowledged: int
    stale_acknowledgements: int
    unencrypted: int
    functions_over_limit: int

    @property
    def passed(self) -> bool:
        """A pack ran, and nothing is unaccepted, stale, unencrypted or too large."""
        return bool(self.packs) and not (
            self.violations or self.stale_acknowledgements or self.unencrypted or self.functions_over_limit
        )


def write_report(assembly: Path) -> Summary:
    """Write `compliance-report.md` into the assembly folder and return its headline figures."""
    paths = template_paths(assembly)
    records = {path.parent: read_records(path.parent) for path in paths}
    checked = check_acknowledgements(assembly)
    sizes = [size for path in paths for size in function_sizes(path)]
    lines = [
        "# Compliance report",
        "",
        *_pack_section(assembly, records),
        *_ack_check_section(assembly, checked),
    ]
    lines += _size_section(sizes)
    total, unencrypted = 0, 0
    for path in paths:
        template = json.loads(path.read_text(encoding="utf-8"))
        counts = facts.resource_counts(template)
        encryption = facts.encryption_statuses(template)
        total += sum(counts.values())
        unencrypted += sum(1 for e in encryption if e.encryption == "NOT ENCRYPTED")
        name = path.name.removesuffix(".template.json")
        lines += _template_section(
            name, counts, facts.acknowledgements(template), facts.role_grants(template), encryption
        )
    lines += cross_account.report_lines(cross_account.cross_account_grants(assembly))
    lines += iam_scanners.report_lines(iam_scanners.scan_templates(paths))
    (assembly / "compliance-report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    all_records = [record for folder in records.values() for record in folder]
    return Summary(
        templates=len(paths),
        resources=total,
        packs=tuple(sorted({record.pack for record in all_records})),
        violations=sum(record.unacknowledged for record in all_records),
        acknowledged=sum(record.acknowledged for record in all_records),
        stale_acknowledgements=sum(1 for ack in checked if ack.status is AckStatus.STALE),
        unencrypted=unencrypted,
        functions_over_limit=sum(1 for size in sizes if size.margin <= 0),
    )


def template_paths(assembly: Path) -> list[Path]:
    """Templates of the assembly and of nested assemblies (the endpoint blueprints), not of assets."""
    nested = [p for p in assembly.glob("*/*.template.json") if not p.parent.name.startswith("asset.")]
    return sorted([*assembly.glob("*.template.json"), *nested])


def _pack_section(assembly: Path, records: dict[Path, list[PackRecord]]) -> list[str]:
    catalogue = rules_by_pack(read_rules_markdown())
    lines = [
        "## cdk-nag rule packs that ran",
        "",
        "Read from the packs' own records in the assembly (`nag-pack.<pack>.json`), not from the config.",
        "",
        "| assembly | pack | cdk-nag | rules | templates | findings | acknowledged | unacknowledged |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for folder, folder_records in sorted(records.items()):
        where = _relative(assembly, folder)
        lines += [
            f"| {where} | {r.pack} | {r.version} | {len(catalogue.get(r.pack, []))} | {len(r.templates)} "
            f"| {len(r.findings)} | {r.acknowledged} | {r.unacknowledged} |"
            for r in folder_records
        ] or [f"| {where} | **no pack ran** | | | | | | |"]
    open_findings = [
        f"- {r.pack}: {f.rule} on {f.construct_path}"
        for folder_records in records.values()
        for r in folder_records
        for f in r.findings
        if not f.acknowledged
    ]
    verdict = "none" if not open_findings else str(len(open_findings))
    return [*lines, "", f"Unacknowledged findings: **{verdict}**", "", *open_findings]


def _ack_check_section(assembly: Path, checked: list[CheckedAcknowledgement]) -> list[str]:
    stale = [ack for ack in checked if ack.status is AckStatus.STALE]
    idle = [ack for ack in checked if ack.status is AckStatus.NOT_EVALUATED]
    matched = len(checked) - len(stale) - len(idle)
    lines = [
        "",
        "## Acknowledgements checked against the findings",
        "",
        f"{matched} acknowledgements accept a finding; **{len(stale)} match no finding**; "
        f"{len(idle)} belong to packs that did not run.",
        "",
    ]
    for ack in [*stale, *idle]:
        lines.append(f"- {ack.status}: {_relative(assembly, ack.template)} {ack.resource} `{ack.rule}`")
    return lines


def _size_section(sizes: list[FunctionSize]) -> list[str]:
    lines = [
        "",
        f"## Lambda functions unzipped (code + layers; limit {_mb(UNZIPPED_LIMIT_BYTES)})",
        "",
        "| function | handler | code | layers | total | margin |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {s.function} | {s.handler} | {_mb(s.code)} | {' + '.join(_mb(b) for b in s.layers) or '-'} "
        f"| {_mb(s.total)} | {_mb(s.margin)} |"
        for s in sizes
    ]
    return [*lines, ""]


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


def _relative(assembly: Path, path: Path) -> str:
    return str(path.relative_to(assembly)) if path != assembly else "."


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
