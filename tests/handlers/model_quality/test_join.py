"""The join of labels with captured predictions: the first capture of an inference id is the one scored."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from lambdas.common.checkpoint import Position, StoredObject
from lambdas.model_quality.evaluation import Matched, join_capture
from tests.handlers.drift_check.capture_files import capture_line
from tests.handlers.fakes import Countdown

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


class OneFile:
    """An S3 client holding one capture file."""

    def __init__(self, body: str) -> None:
        self.body = body.encode()

    def get_object(self, Bucket: str, Key: str) -> dict[str, io.BytesIO]:  # noqa: N803 - boto3's names
        return {"Body": io.BytesIO(self.body)}


def test_a_repeated_inference_id_is_scored_with_its_first_capture() -> None:
    lines = [
        capture_line("1.0,red", 0.1, WHEN, "dup"),
        capture_line("2.0,blue", 0.9, WHEN, "dup"),
        capture_line("3.0,green", 0.4, WHEN, "other"),
    ]
    matched = Matched(labels={"dup": 1.0, "other": 0.0, "never-captured": 1.0})
    capture = StoredObject("capture/a.jsonl", 100, Position(WHEN, "capture/a.jsonl"))

    join_capture(OneFile("\n".join(lines) + "\n"), "bucket", [capture], ["x", "colour"], ["colour"], matched)

    assert matched.y_true == [1.0, 0.0] and matched.y_pred == [0.1, 0.4]
    assert matched.attributes == {"colour": ["red", "green"]}
    assert matched.unmatched_labels == 1


def test_a_file_read_in_pieces_joins_as_one(monkeypatch) -> None:
    # Given a capture file of 60 labelled lines, with a duplicate id and a malformed line in the later pieces
    lines = [capture_line(f"{i}.0,c{i % 3}", i / 100, WHEN, f"id{i}") for i in range(60)]
    lines[40] = capture_line("9.0,c9", 0.99, WHEN, "id5")  # a later capture of id5: not scored
    lines[50] = "{not json"
    labels = {f"id{i}": float(i % 2) for i in range(60)}
    capture = StoredObject("capture/a.jsonl", 100, Position(WHEN, "capture/a.jsonl"))
    body = OneFile("\n".join(lines) + "\n")
    # When it is joined whole and then in pieces of about five lines
    whole = Matched(labels=dict(labels))
    join_capture(body, "bucket", [capture], ["x", "colour"], ["colour"], whole)
    monkeypatch.setattr("lambdas.model_quality.evaluation.PIECE_BYTES", len(lines[0]) * 5)
    pieces = Matched(labels=dict(labels))
    join_capture(body, "bucket", [capture], ["x", "colour"], ["colour"], pieces)
    # Then both score the same 58 predictions (ids 40 and 50 were never captured) and count the bad line
    expected = [i / 100 for i in range(60) if i not in (40, 50)]
    assert whole.y_pred == pieces.y_pred == expected
    assert whole.attributes == pieces.attributes
    assert whole.malformed_capture_lines == pieces.malformed_capture_lines == 1


def test_past_the_deadline_no_more_capture_is_read_and_an_issue_says_from_where(monkeypatch) -> None:
    # Given a capture file of 20 labelled lines read in pieces of about five lines, and time for two pieces
    lines = [capture_line(f"{i}.0,c{i % 3}", i / 100, WHEN, f"id{i}") for i in range(20)]
    capture = StoredObject("capture/a.jsonl", 100, Position(WHEN, "capture/a.jsonl"))
    monkeypatch.setattr("lambdas.model_quality.evaluation.PIECE_BYTES", len(lines[0]) * 5)
    matched = Matched(labels={f"id{i}": 1.0 for i in range(20)})
    join_capture(OneFile("\n".join(lines) + "\n"), "bucket", [capture], ["x", "c"], [], matched, Countdown(2))
    # Then the first two pieces are scored, the rest of the labels are unmatched, and one issue names the line
    (issue,) = matched.issues
    assert issue["file"] == "capture/a.jsonl" and "time ran out" in issue["reason"]
    scored = len(matched.y_pred)
    assert 0 < scored < 20 and issue["line"] == scored + 1
    assert matched.unmatched_labels == 20 - scored
