"""Checks each cdk-nag acknowledgement in the templates against what the packs found when they ran."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mlops_audit.nag_rules import PACK_HEADINGS
from mlops_audit.pack_record import read_records


class AckStatus(StrEnum):
    """Whether an acknowledgement accepted a finding of the synthesis it sits in."""

    MATCHED = "accepts a finding"
    STALE = "matches no finding"
    NOT_EVALUATED = "its pack did not run"


@dataclass(frozen=True)
class CheckedAcknowledgement:
    """One acknowledgement in a template's `cdk_nag` metadata, and what it accepted."""

    template: Path
    resource: str
    rule: str
    reason: str
    status: AckStatus


def check_acknowledgements(assembly: Path) -> list[CheckedAcknowledgement]:
    """Every acknowledgement of the assembly and of its nested assemblies (the endpoint blueprints)."""
    folders = [
        assembly,
        *sorted(p for p in assembly.iterdir() if p.is_dir() and not p.name.startswith("asset.")),
    ]
    return [ack for folder in folders for ack in _check_folder(folder)]


def _check_folder(folder: Path) -> list[CheckedAcknowledgement]:
    records = read_records(folder)
    known_packs = sorted({*PACK_HEADINGS, *(r.pack for r in records)}, key=len, reverse=True)
    ran = {(r.pack, template) for r in records for template in r.templates}
    accepted = {(f.template, f.logical_id, f.rule) for r in records for f in r.findings if f.acknowledged}
    checked = []
    for path in sorted(folder.glob("*.template.json")):
        for resource, rule, reason in _acknowledgements(path):
            pack = next((p for p in known_packs if rule.startswith(f"{p}-")), None)
            if (path.name, resource, rule) in accepted:
                status = AckStatus.MATCHED
            elif pack is not None and (pack, path.name) not in ran:
                status = AckStatus.NOT_EVALUATED
            else:
                status = AckStatus.STALE
            checked.append(CheckedAcknowledgement(path, resource, rule, reason, status))
    return checked


def _acknowledgements(template: Path) -> list[tuple[str, str, str]]:
    resources = json.loads(template.read_text(encoding="utf-8")).get("Resources", {})
    return [
        (logical_id, rule["id"], rule["reason"])
        for logical_id, resource in resources.items()
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    ]
