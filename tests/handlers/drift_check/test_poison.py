"""Poison pills in S3: the check completes, reports them, and the next check moves on."""

from __future__ import annotations

from tests.handlers.drift_check.capture_files import make_rows
from tests.handlers.drift_check.conftest import World

BASE = make_rows(3000, seed=31)
DEEP = '{"x":' * 100_000 + "1" + "}" * 100_000


def test_a_poison_file_is_reported_and_passed_by_the_checkpoint(world: World) -> None:
    # Given good capture and a file whose lines make a naive parser raise
    world.put_baseline(BASE)
    world.put_rows(make_rows(400, seed=32))
    world.put_capture(f"{DEEP}\n".encode() + b"\xff\xfe{\n" + ("[" * 5000).encode() + b"\n")
    # When the check runs
    outcome = world.invoke()
    # Then it completes, with every bad line counted, located and explained in the report and the metric
    assert outcome["status"] == "ok" and outcome["records"] == 400 and outcome["files"] == 2
    report = world.read_json(outcome["report_key"])
    assert report["malformed_lines"] == 3
    assert [issue["line"] for issue in report["issues"]] == [1, 2, 3]
    assert "nested too deeply" in report["issues"][0]["reason"]
    assert world.metric("MalformedLines") == (3.0, 3.0, 1.0)
    # And the next check starts after the poison file instead of failing on it again
    world.put_rows(make_rows(300, seed=33))
    again = world.invoke()
    assert again["status"] == "ok" and (again["records"], again["files"]) == (300, 1)


def test_a_file_too_large_to_read_is_skipped_reported_and_passed(world: World, monkeypatch) -> None:
    # Given good capture and one file over the per-file read limit (lowered here; 512 MiB in service)
    import mlops_drift.partial as partial

    world.put_baseline(BASE)
    world.put_rows(make_rows(400, seed=34))
    world.put_capture(b"x" * 2**21 + b"\n")
    monkeypatch.setattr(partial, "MAX_FILE_BYTES", 2**20)
    # When the check runs
    outcome = world.invoke()
    # Then the large file is skipped with its size in the report and the metric, the rest is checked
    assert outcome["status"] == "ok" and outcome["records"] == 400 and outcome["files"] == 2
    report = world.read_json(outcome["report_key"])
    assert report["unreadable_files"] == 1
    (issue,) = [issue for issue in report["issues"] if issue["line"] == 0]
    assert issue["reason"] == "file skipped: 2,097,153 bytes, more than the 1,048,576 read per file"
    assert world.metric("UnreadableFiles")[0] == 1.0
    # And the next check does not read it again
    world.put_rows(make_rows(300, seed=35))
    again = world.invoke()
    assert again["status"] == "ok" and (again["records"], again["files"]) == (300, 1)
