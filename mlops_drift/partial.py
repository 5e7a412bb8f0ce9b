"""Partial capture profiles: one per capture file, merged exactly; no file's content can stop a check."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from mlops_drift.batch import build_batch
from mlops_drift.capture import MAX_ISSUES, parse_capture
from mlops_drift.profile import DatasetProfile, merge, profile
from mlops_drift.schema import SchemaObservation, merge_schema
from mlops_drift.spec import ProfileSpec

PARTIAL_FORMAT = "mlops-drift-partial/1"
# A larger capture file is skipped and reported, not read: parsing holds about four times a file's size in
# memory, and a file that exhausts it would fail every later check on the same file. SageMaker's own
# capture files are a few MB.
MAX_FILE_BYTES = 512 * 1024**2


@dataclass(frozen=True)
class FileIssue:
    """A malformed capture line, located by file and 1-based line number (0: the whole file)."""

    file: str
    line: int
    reason: str


@dataclass(frozen=True)
class PartialProfile:
    """Profile of some capture files plus how many lines were read and rejected."""

    profile: DatasetProfile
    files: int
    lines_read: int
    malformed_lines: int
    issues: tuple[FileIssue, ...]
    unreadable_files: int = 0  # files skipped whole (their issue has line 0)
    schema: SchemaObservation = field(default_factory=SchemaObservation)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {
            "format": PARTIAL_FORMAT,
            "profile": self.profile.to_dict(),
            "files": self.files,
            "lines_read": self.lines_read,
            "malformed_lines": self.malformed_lines,
            "unreadable_files": self.unreadable_files,
            "issues": [vars(issue) for issue in self.issues],
            "schema": self.schema.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PartialProfile:
        """Inverse of to_dict."""
        if data.get("format") != PARTIAL_FORMAT:
            raise ValueError(f"not a partial profile (format {data.get('format')!r})")
        return cls(
            profile=DatasetProfile.from_dict(data["profile"]),
            files=int(data["files"]),
            lines_read=int(data["lines_read"]),
            malformed_lines=int(data["malformed_lines"]),
            issues=tuple(FileIssue(str(i["file"]), int(i["line"]), str(i["reason"])) for i in data["issues"]),
            unreadable_files=int(data.get("unreadable_files", 0)),
            schema=SchemaObservation.from_dict(data.get("schema", {})),
        )


def empty_partial(spec: ProfileSpec) -> PartialProfile:
    """The profile of no records at all (the identity of merge_partials)."""
    batch = build_batch({name: [] for name in spec.names}, spec.kinds())
    return PartialProfile(profile(batch, spec), 0, 0, 0, ())


def profile_file(name: str, lines: Iterable[str | bytes] | bytes, spec: ProfileSpec) -> PartialProfile:
    """Parse one capture file (its bytes or its lines) with the baseline's spec and profile its records."""
    parsed = parse_capture(lines, spec)
    issues = tuple(FileIssue(name, issue.line, issue.reason) for issue in parsed.issues)
    return PartialProfile(
        profile(parsed.features, spec),
        1,
        parsed.lines_read,
        parsed.malformed_lines,
        issues,
        schema=parsed.schema,
    )


def oversized_file(name: str, size: int, spec: ProfileSpec) -> PartialProfile | None:
    """The partial of a file too large to read (skipped, counted, reported), or None for any other file."""
    if size <= MAX_FILE_BYTES:
        return None
    issue = FileIssue(
        name, 0, f"file skipped: {size:,} bytes, more than the {MAX_FILE_BYTES:,} read per file"
    )
    return PartialProfile(empty_partial(spec).profile, 1, 0, 0, (issue,), 1)


def merge_partials(spec: ProfileSpec, parts: Sequence[PartialProfile]) -> PartialProfile:
    """Merge partial profiles (any order, any grouping gives the same counts)."""
    if not parts:
        return empty_partial(spec)
    issues = [issue for part in parts for issue in part.issues]
    return PartialProfile(
        profile=merge(parts[0].profile, *(part.profile for part in parts[1:])),
        files=sum(part.files for part in parts),
        lines_read=sum(part.lines_read for part in parts),
        malformed_lines=sum(part.malformed_lines for part in parts),
        issues=tuple(issues[:MAX_ISSUES]),
        unreadable_files=sum(part.unreadable_files for part in parts),
        schema=reduce(merge_schema, (part.schema for part in parts)),
    )
