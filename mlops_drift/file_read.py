"""One capture file's partial profile, read in line-aligned pieces and within a time budget.

Pieces bound memory: parsing holds several times a piece's size (tens of times for lines of many tiny
records), never the whole file's, so no file under the size limit can exhaust a Lambda's or an instance's
memory. The deadline bounds time: a check that is killed by its time limit saves nothing and meets the same
files next time, so it stops reading before that and reports the lines it had no time for instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from mlops_drift.capture_decode import line_count, line_pieces
from mlops_drift.partial import FileIssue, PartialProfile, empty_partial, merge_partials, profile_file
from mlops_drift.spec import ProfileSpec

# Profiles of pieces merge exactly (counts on fixed bins, merged moments and sketches).
PIECE_BYTES = 8 * 1024**2
# A longer line is skipped and reported, not parsed: a line is parsed whole, and one of many tiny records
# holds tens of times its size in memory while it is (SageMaker's real-time lines are under 20 MB;
# asynchronous endpoints' payloads can be far larger).
MAX_LINE_BYTES = 32 * 1024**2
# A check in a Lambda function reads capture until this long before the function's time limit (or for half
# its time, if that is less): the rest of the check (the piece being read, reports, metrics, notification,
# checkpoint) must fit in it. A check the limit stops saves no checkpoint and would meet the same capture,
# and the same end, every time after.
FINISHING_SECONDS = 120


@dataclass(frozen=True)
class Deadline:
    """A time on the monotonic clock (one clock for every process of a host) after which no piece is read."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline `seconds` from now."""
        return cls(time.monotonic() + seconds)

    @classmethod
    def for_lambda(cls, remaining_ms: int) -> Deadline:
        """The reading deadline of a check whose function has `remaining_ms` left (its context's figure)."""
        remaining = remaining_ms / 1000
        return cls.after(max(remaining - FINISHING_SECONDS, remaining / 2))

    def passed(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() >= self.at


@dataclass(frozen=True)
class FileRead:
    """A file's partial profile and whether every line was read (False: the deadline cut it short)."""

    partial: PartialProfile
    finished: bool


def read_file(
    name: str,
    data: bytes,
    spec: ProfileSpec,
    *,
    deadline: Deadline | None = None,
    piece_bytes: int = PIECE_BYTES,
) -> FileRead:
    """Profile a capture file piece by piece; a piece that cannot be profiled, or the rest of the file once
    the deadline has passed, is counted and reported, never raised."""
    parts: list[PartialProfile] = []
    first = 1
    for piece, lines in line_pieces(data, piece_bytes):
        if deadline is not None and deadline.passed():
            unread = _unread(name, first, line_count(data) - first + 1, spec)
            return FileRead(_one_file(spec, [*parts, unread]), False)
        whole = len(piece) == len(data)  # most files are one piece: no copy of their bytes
        parts.append(_piece(name, data if whole else bytes(piece), first, lines, spec, whole=whole))
        first += lines
    return FileRead(_one_file(spec, parts), True)


def profile_bytes(
    name: str, data: bytes, spec: ProfileSpec, *, deadline: Deadline | None = None
) -> PartialProfile:
    """Profile one capture file's bytes; nothing in it can stop a check (see read_file)."""
    return read_file(name, data, spec, deadline=deadline).partial


def _piece(
    name: str, data: bytes, first: int, lines: int, spec: ProfileSpec, *, whole: bool
) -> PartialProfile:
    """One piece's profile, its issues numbered by file line; a piece that fails is skipped and reported."""
    if len(data) > MAX_LINE_BYTES and _longest_line(data) > MAX_LINE_BYTES:
        return _one_file(spec, list(_around_long_lines(name, data, first, spec)))
    try:
        part = profile_file(name, data, spec)
    # The boundary that keeps one piece from stopping every later check: it is reported and skipped.
    except Exception as exc:
        why = f"could not be profiled ({exc.__class__.__name__})"
        if whole:
            return _dropped(name, 0, lines, f"file skipped: {why}", spec, unreadable=1)
        return _dropped(name, first, lines, f"lines {first}-{first + lines - 1} skipped: {why}", spec)
    shifted = tuple(FileIssue(name, issue.line + first - 1, issue.reason) for issue in part.issues)
    return replace(part, issues=shifted)


def _longest_line(data: bytes) -> int:
    """The length of the piece's longest line, its "\n" excluded."""
    breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0x0A)
    bounds = np.concatenate(([-1], breaks, [len(data)]))
    return int(np.diff(bounds).max()) - 1


def _around_long_lines(name: str, data: bytes, first: int, spec: ProfileSpec) -> Iterator[PartialProfile]:
    """The piece's runs of ordinary lines profiled, and each line over MAX_LINE_BYTES skipped and reported."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # the piece's final line break
    run: list[bytes] = []
    for number, line in enumerate(lines, first):
        if len(line) <= MAX_LINE_BYTES:
            run.append(line)
            continue
        if run:
            yield _piece(name, b"\n".join(run) + b"\n", number - len(run), len(run), spec, whole=False)
        why = f"line skipped: {len(line):,} bytes, more than the {MAX_LINE_BYTES:,} read per line"
        yield _dropped(name, number, 1, why, spec)
        run = []
    if run:
        yield _piece(
            name, b"\n".join(run) + b"\n", first + len(lines) - len(run), len(run), spec, whole=False
        )


def _unread(name: str, first: int, lines: int, spec: ProfileSpec) -> PartialProfile:
    """The lines left when the deadline passed: counted as dropped, with one issue saying why."""
    return _dropped(
        name, first, lines, f"lines {first}-{first + lines - 1} not read: the check's time ran out", spec
    )


def _dropped(
    name: str, line: int, lines: int, why: str, spec: ProfileSpec, *, unreadable: int = 0
) -> PartialProfile:
    """Lines counted as read and dropped, with one issue at `line` (0: the whole file) saying why."""
    return PartialProfile(
        empty_partial(spec).profile, 1, lines, lines, (FileIssue(name, line, why),), unreadable
    )


def _one_file(spec: ProfileSpec, parts: list[PartialProfile]) -> PartialProfile:
    """The pieces' profiles merged into the profile of one file."""
    merged = merge_partials(spec, parts)
    return replace(merged, files=1, unreadable_files=min(merged.unreadable_files, 1))
