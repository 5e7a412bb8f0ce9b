"""Partial capture profiles: built per file set (Lambda or a Processing-job shard), merged exactly.

Run inside the SageMaker scikit-learn processing container as the job's entry point:
    python3 -m mlops_drift.processing_job [--capture DIR] [--baseline FILE] [--output DIR] [--name NAME]
"""

from __future__ import annotations

import argparse
import json
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlops_drift.batch import build_batch
from mlops_drift.capture import MAX_ISSUES, parse_capture
from mlops_drift.profile import DatasetProfile, merge, profile
from mlops_drift.spec import ProfileSpec

CAPTURE_DIR = "/opt/ml/processing/input/capture"
BASELINE_FILE = "/opt/ml/processing/input/baseline/profile.json"
OUTPUT_DIR = "/opt/ml/processing/output"
RESOURCE_CONFIG = "/opt/ml/config/resourceconfig.json"
PARTIAL_FORMAT = "mlops-drift-partial/1"


@dataclass(frozen=True)
class FileIssue:
    """A malformed capture line, located by file and 1-based line number."""

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

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {
            "format": PARTIAL_FORMAT,
            "profile": self.profile.to_dict(),
            "files": self.files,
            "lines_read": self.lines_read,
            "malformed_lines": self.malformed_lines,
            "issues": [vars(issue) for issue in self.issues],
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
        )


def empty_partial(spec: ProfileSpec) -> PartialProfile:
    """The profile of no records at all (the identity of merge_partials)."""
    batch = build_batch({name: [] for name in spec.names}, spec.kinds())
    return PartialProfile(profile(batch, spec), 0, 0, 0, ())


def profile_file(name: str, lines: Iterable[str | bytes], spec: ProfileSpec) -> PartialProfile:
    """Parse one capture file with the baseline's spec and profile its records."""
    parsed = parse_capture(lines, spec)
    issues = tuple(FileIssue(name, issue.line, issue.reason) for issue in parsed.issues)
    return PartialProfile(
        profile(parsed.features, spec), 1, parsed.lines_read, parsed.malformed_lines, issues
    )


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
    )


def profile_directory(capture_dir: Path, spec: ProfileSpec) -> PartialProfile:
    """Profile every file under a directory (a Processing-job shard), in path order."""
    parts = []
    for path in sorted(p for p in capture_dir.rglob("*") if p.is_file()):
        with path.open("rb") as stream:
            parts.append(profile_file(str(path.relative_to(capture_dir)), stream, spec))
    return merge_partials(spec, parts)


def host_name(resource_config: Path = Path(RESOURCE_CONFIG)) -> str:
    """This instance's host name in the job (algo-1, algo-2, ...); unique per shard."""
    try:
        return str(json.loads(resource_config.read_text())["current_host"])
    except (OSError, ValueError, KeyError):
        return socket.gethostname()


def run(capture_dir: Path, baseline_file: Path, output_dir: Path, name: str) -> Path:
    """Profile this shard against the baseline's spec and write `<name>.json` to the output directory."""
    baseline = DatasetProfile.from_dict(json.loads(baseline_file.read_text()))
    partial = profile_directory(capture_dir, baseline.spec)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"partial-{name}.json"
    target.write_text(json.dumps(partial.to_dict()))
    return target


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point (the Processing job's ContainerEntrypoint)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--capture", type=Path, default=Path(CAPTURE_DIR))
    parser.add_argument("--baseline", type=Path, default=Path(BASELINE_FILE))
    parser.add_argument("--output", type=Path, default=Path(OUTPUT_DIR))
    parser.add_argument("--name", default=None, help="partial file name (default: the job host name)")
    args = parser.parse_args(argv)
    run(args.capture, args.baseline, args.output, args.name or host_name())


if __name__ == "__main__":
    main()
