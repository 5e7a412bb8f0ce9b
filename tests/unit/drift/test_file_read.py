"""A capture file read in pieces and within a deadline: same profile, bounded memory, never stuck on time."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime

import pytest

from lambdas.common.checkpoint import Position, StoredObject
from lambdas.drift_check.analysis import profile_objects
from mlops_drift import Kind, ProfileSpec, file_read
from mlops_drift.file_read import Deadline, read_file
from mlops_drift.spec import FeatureSpec
from tests.handlers.fakes import Countdown
from tests.unit.drift.capture_lines import capture_line
from tests.unit.drift.paths import FakeS3

SPEC = ProfileSpec(
    (
        FeatureSpec("a", Kind.NUMERIC, edges=(0.0, 1.0, 2.0)),
        FeatureSpec("b", Kind.CATEGORICAL, categories=("x",)),
    )
)
BAD_LINES = (3, 250, 999)  # 1-based line numbers of malformed lines, spread over many pieces


def _file(lines: int = 1000) -> bytes:
    rows = [
        capture_line(f"{i % 3}.5,{'xy'[i % 2]}") if i not in BAD_LINES else "{not json"
        for i in range(1, lines + 1)
    ]
    return ("\n".join(rows) + "\n").encode()


def test_pieces_give_the_whole_file_profile_with_file_line_numbers() -> None:
    # Given a file of 1,000 lines with three bad ones, read whole and in pieces of about 2 KiB
    data = _file()
    whole = read_file("f", data, SPEC).partial
    pieces = read_file("f", data, SPEC, piece_bytes=2048).partial
    # Then both count the same lines and records, and report the bad lines where they are in the file
    assert [issue.line for issue in pieces.issues] == list(BAD_LINES)
    assert [issue.line for issue in whole.issues] == list(BAD_LINES)
    assert (pieces.files, pieces.lines_read, pieces.malformed_lines) == (1, 1000, 3)
    assert pieces.profile.record_count == whole.profile.record_count == 997
    a_whole, a_pieces = whole.profile.feature("a"), pieces.profile.feature("a")
    assert a_pieces.histogram == a_whole.histogram
    assert a_pieces.mean == pytest.approx(a_whole.mean)


def test_a_piece_that_fails_is_skipped_and_reported_and_the_rest_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a piece whose profiling raises (whatever the cause)
    real = file_read.profile_file

    def failing(name: str, data: bytes, spec: ProfileSpec):  # type: ignore[no-untyped-def]
        if b'"0.5,x"' in data and b'"1.5,y"' not in data:
            raise MemoryError("out of memory")
        return real(name, data, spec)

    lines = [capture_line("1.5,y")] * 40 + [capture_line("0.5,x")] * 40 + [capture_line("1.5,y")] * 40
    data = ("\n".join(lines) + "\n").encode()
    monkeypatch.setattr(file_read, "profile_file", failing)
    # When the file is read in pieces of exactly 40 lines
    part = read_file("f", data, SPEC, piece_bytes=len(lines[0]) * 40 - 1).partial
    # Then the failing piece's lines are counted as dropped, named by range, and the other pieces are kept
    assert [(issue.line, issue.reason) for issue in part.issues] == [
        (41, "lines 41-80 skipped: could not be profiled (MemoryError)")
    ]
    assert (part.lines_read, part.malformed_lines, part.profile.record_count) == (120, 40, 80)
    assert part.unreadable_files == 0


def test_a_one_piece_file_that_fails_is_skipped_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_: object) -> None:
        raise MemoryError("out of memory")

    monkeypatch.setattr(file_read, "profile_file", failing)
    part = read_file("f", _file(10), SPEC).partial
    assert [(issue.line, issue.reason) for issue in part.issues] == [
        (0, "file skipped: could not be profiled (MemoryError)")
    ]
    assert (part.lines_read, part.malformed_lines, part.unreadable_files) == (10, 10, 1)


def test_past_the_deadline_the_rest_of_the_file_is_reported_not_read() -> None:
    # Given a deadline that passes after two pieces have been read
    data = _file()
    read = read_file("f", data, SPEC, deadline=Countdown(2), piece_bytes=len(data) // 10)  # type: ignore[arg-type]
    # Then the file is not finished, every line is accounted for, and one issue names the lines not read
    first_unread = read.partial.issues[-1].line
    assert not read.finished
    assert read.partial.issues[-1].reason == f"lines {first_unread}-1000 not read: the check's time ran out"
    assert read.partial.lines_read == 1000
    assert read.partial.profile.record_count + read.partial.malformed_lines == 1000
    assert 150 < first_unread < 260  # two pieces of about a tenth of the file each
    assert read.partial.profile.record_count == first_unread - 1 - 1  # line 3 was bad


def test_reading_in_pieces_bounds_memory_for_lines_of_many_tiny_records() -> None:
    # Given lines of 5,000 one-byte-wide records each whose output does not match (the per-record path)
    line = capture_line("1,x\n" * 5_000, output="oops")
    data = ("\n".join([line] * 12) + "\n").encode()  # about 250 KB
    peaks = []
    for piece_bytes in (len(data), 1):  # the whole file at once, then one line at a time
        tracemalloc.start()
        read_file("f", data, SPEC, piece_bytes=piece_bytes)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # Then reading line by line holds a fraction of what reading the whole file holds
    assert peaks[1] * 4 < peaks[0]


def _objects(bodies: list[bytes]) -> tuple[FakeS3, list[StoredObject]]:
    """The bodies as capture objects in arrival order, with an S3 stand-in that serves them."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    keyed = {f"2026/01/01/00/{i}.jsonl": body for i, body in enumerate(bodies)}
    return FakeS3(keyed), [StoredObject(key, len(body), Position(when, key)) for key, body in keyed.items()]


@pytest.mark.parametrize(
    ("checks", "covered", "first_finished"),
    [
        # One-piece objects: the questions are object 1's piece, then before each later object and its piece.
        (0, 1, False),  # passed inside the first object: it is kept cut short and the rest is left
        (2, 1, True),  # passed inside the second: the second is left whole for the next check
        (3, 2, True),  # passed between the second and the third: the third is left
        (10_000, 3, True),  # never: every object is read
    ],
)
def test_a_check_reads_objects_until_the_deadline_and_leaves_the_rest(
    checks: int, covered: int, first_finished: bool
) -> None:
    body = _file(100)
    s3, objects = _objects([body, body, body])
    analysis = profile_objects(s3, "capture", objects, SPEC, Countdown(checks))  # type: ignore[arg-type]
    assert analysis.covered == covered
    assert analysis.partial.files == covered
    not_read = [issue for issue in analysis.partial.issues if "not read" in issue.reason]
    assert [(i.file, i.line) for i in not_read] == ([] if first_finished else [(objects[0].key, 1)])
    assert analysis.partial.lines_read == 100 * covered


@pytest.mark.parametrize(
    ("remaining_ms", "reading_seconds"),
    [(900_000, 780.0), (300_000, 180.0), (60_000, 30.0)],  # 15 min: 2 min left to finish; short: half
)
def test_a_lambda_check_reads_until_two_minutes_before_its_limit_or_for_half_its_time(
    remaining_ms: int, reading_seconds: float
) -> None:
    before = time.monotonic()
    deadline = Deadline.for_lambda(remaining_ms)
    assert before + reading_seconds <= deadline.at <= time.monotonic() + reading_seconds


def test_a_line_longer_than_the_limit_is_skipped_and_reported_and_its_neighbours_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a limit of 2,000 bytes per line and a file whose 3rd and 7th lines are longer (many records each)
    monkeypatch.setattr(file_read, "MAX_LINE_BYTES", 2000)
    lines = [capture_line(f"{i}.5,x") for i in range(10)]
    for number in (3, 7):
        lines[number - 1] = capture_line("1.5,x\n" * 400, output="0.5\n" * 400)
    data = ("\n".join(lines) + "\n").encode()
    # When it is read (in one piece, and in pieces of about four lines)
    for piece_bytes in (len(data), 700):
        part = read_file("f", data, SPEC, piece_bytes=piece_bytes).partial
        # Then the two long lines are reported by number and size, and the eight others are profiled
        assert [(issue.line, issue.reason.split(":")[0]) for issue in part.issues] == [
            (3, "line skipped"),
            (7, "line skipped"),
        ]
        assert f"{len(lines[2].encode()):,} bytes, more than the 2,000" in part.issues[0].reason
        assert (part.lines_read, part.malformed_lines, part.profile.record_count) == (10, 2, 8)
