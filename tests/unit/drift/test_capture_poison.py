"""Poison pills: no capture line or file can stop the drift check; both reading paths agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_drift import Kind, ProfileSpec
from mlops_drift.partial import profile_file
from mlops_drift.spec import FeatureSpec
from tests.unit.drift.capture_lines import capture_line
from tests.unit.drift.paths import lambda_path, processing_path

SPEC = ProfileSpec((FeatureSpec("a", Kind.NUMERIC), FeatureSpec("b", Kind.CATEGORICAL)))
GOOD = capture_line("1.5,x")
HUGE = "1" + "0" * 400  # an integer beyond float range (1e400)


def _json_input(payload: str) -> str:
    return capture_line(payload, "JSON", "application/json")


POISON = {
    "deeply nested line": '{"x":' * 100_000 + "1" + "}" * 100_000,
    "deeply nested payload": _json_input("[" * 5_000 + "]" * 5_000),
    "huge integer feature": _json_input(f"[[{HUGE}, 1]]"),
    "huge integer prediction": capture_line("1,x", output=f"[{HUGE}]", out_encoding="JSON"),
    "deeply nested prediction": capture_line(
        "1,x", output='{"score":' * 3_000 + "1" + "}" * 3_000, out_encoding="JSON"
    ),
    "deeply nested cell": _json_input(json.dumps({"a": 1, "b": 0}).replace("0", "[" * 3_000 + "]" * 3_000)),
    "deeply nested inference id": json.loads(GOOD) | {"eventMetadata": {"eventId": 0}},
}
POISON["deeply nested inference id"] = json.dumps(POISON["deeply nested inference id"]).replace(
    '"eventId": 0', '"eventId": ' + "[" * 900 + "]" * 900
)


@pytest.mark.parametrize("name", sorted(POISON))
def test_a_poison_line_is_counted_with_its_line_number_and_the_rest_is_read(name: str) -> None:
    # Given a file whose second line is a poison pill between good lines
    lines = [GOOD, POISON[name], GOOD]
    # When it is profiled
    part = profile_file("f.jsonl", lines, SPEC)
    # Then nothing is raised, the good records are kept and the bad line is reported where it is
    assert part.lines_read == 3
    assert part.profile.record_count + part.malformed_lines == 3
    if name == "deeply nested inference id":  # a legal id: kept, written as flat JSON text
        assert part.malformed_lines == 0
        return
    (issue,) = part.issues
    assert (issue.file, issue.line) == ("f.jsonl", 2) and issue.reason
    assert "nested too deeply" in issue.reason or "beyond float range" in issue.reason
    json.dumps(part.to_dict(), allow_nan=False)


def test_a_bare_carriage_return_is_not_a_line_break_on_either_path(tmp_path: Path) -> None:
    # Given two lines joined by a bare \r (not a JSON Lines separator), then \r\n-terminated lines
    body = f"{GOOD}\r{GOOD}\n{GOOD}\r\n{GOOD}\n".encode()
    files = {"2026/01/01/00/a.jsonl": body}
    # When the Lambda path and the Processing path read the same bytes
    by_lambda = lambda_path(files, SPEC)
    by_job = processing_path(files, SPEC, tmp_path)
    # Then both see three lines, the first malformed (line 1), and give identical partial profiles
    assert by_lambda.to_dict() == by_job.to_dict()
    assert (by_lambda.lines_read, by_lambda.malformed_lines) == (3, 1)
    assert [(i.file, i.line) for i in by_lambda.issues] == [("2026/01/01/00/a.jsonl", 1)]


def test_both_paths_survive_every_poison_pill_with_identical_results(tmp_path: Path) -> None:
    body = "\n".join([GOOD, *POISON.values(), GOOD]).encode() + b"\xff\xfe\n"
    files = {"2026/01/01/00/poison.jsonl": body, "2026/01/01/01/good.jsonl": (GOOD + "\n").encode()}
    by_lambda = lambda_path(files, SPEC)
    assert by_lambda.to_dict() == processing_path(files, SPEC, tmp_path).to_dict()
    assert by_lambda.files == 2 and by_lambda.profile.record_count >= 3


def test_named_records_with_new_or_absent_fields_are_schema_mismatches() -> None:
    lines = [
        capture_line(json.dumps({"a": 1, "b": "x"}), "JSON", "application/json"),
        capture_line(json.dumps({"a": 1, "b": "x", "c": 2}), "JSON", "application/json"),
        capture_line(json.dumps({"a": 1}), "JSON", "application/json"),
        capture_line("1,x,9"),
    ]
    schema = profile_file("f", lines, SPEC).schema
    assert (schema.records, schema.mismatched, dict(schema.widths)) == (4, 3, {3: 1})
    assert (schema.unknown_fields, schema.absent_fields) == (("c",), ("b",))
