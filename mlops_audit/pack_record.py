"""What one cdk-nag pack found when it ran: written into the cloud assembly at synthesis, read by the report.

cdk-nag 3 filters acknowledged findings out before CDK sees them, and CDK leaves a clean pack out of
validation-report.json, so the assembly would otherwise hold no trace of which packs ran or what they
accepted. Each pack's plugin therefore writes one record file per synthesis (stacks/compliance.py).
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

RECORD_PREFIX = "nag-pack."
RECORD_SUFFIX = ".json"


@dataclass(frozen=True)
class Finding:
    """One rule that failed on one construct, and whether an acknowledgement accepted it."""

    rule: str
    construct_path: str
    template: str
    logical_id: str
    severity: str
    acknowledged: bool


@dataclass(frozen=True)
class PackRecord:
    """The findings of one pack over the templates it validated."""

    pack: str
    version: str
    templates: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def acknowledged(self) -> int:
        """Findings accepted by an acknowledgement."""
        return sum(1 for finding in self.findings if finding.acknowledged)

    @property
    def unacknowledged(self) -> int:
        """Findings that fail synthesis."""
        return len(self.findings) - self.acknowledged


def record_path(assembly: Path, pack: str) -> Path:
    """Where the record of `pack` lives in an assembly folder."""
    return assembly / f"{RECORD_PREFIX}{pack}{RECORD_SUFFIX}"


def clear_records(assembly: Path) -> None:
    """Delete the records of an earlier synthesis, so that a record present means its pack ran this time."""
    for stale in assembly.glob(f"{RECORD_PREFIX}*{RECORD_SUFFIX}"):
        stale.unlink()


def write_record(assembly: Path, record: PackRecord) -> None:
    """Write `record` into the assembly folder."""
    assembly.mkdir(parents=True, exist_ok=True)
    record_path(assembly, record.pack).write_text(
        json.dumps(asdict(record), indent=1) + "\n", encoding="utf-8"
    )


def read_records(assembly: Path) -> list[PackRecord]:
    """Every pack record of one assembly folder, by pack name."""
    records = []
    for path in sorted(assembly.glob(f"{RECORD_PREFIX}*{RECORD_SUFFIX}")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        findings = tuple(Finding(**finding) for finding in raw["findings"])
        records.append(PackRecord(raw["pack"], raw["version"], tuple(raw["templates"]), findings))
    return records
