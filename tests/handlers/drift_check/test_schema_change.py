"""A schema change in capture (a new CSV column) is a drift finding of its own, alarmed and notified."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.handlers.drift_check.capture_files import capture_line, make_rows
from tests.handlers.drift_check.conftest import World

BASE = make_rows(3000, seed=41)


def test_a_new_csv_column_alarms_as_a_schema_change_not_insufficient_data(world: World) -> None:
    # Given capture whose records carry one column more than the baseline's three features
    world.put_baseline(BASE)
    rows, now = make_rows(500, seed=42), datetime.now(UTC)
    lines = [capture_line(rows.csv(i) + ",extra", 0.5, now) for i in range(len(rows))]
    world.put_capture(("\n".join(lines) + "\n").encode())
    # When the check runs
    outcome = world.invoke()
    # Then it is drift, with the schema finding in the report, the metric, the notification and the event
    assert outcome["status"] == "drift"
    schema = world.read_json(outcome["report_key"])["drift"]["schema"]
    assert schema["status"] == "drift" and schema["widths"] == {"4": 500} and schema["expected_width"] == 3
    assert world.metric("DriftDetected") == (1.0, 1.0, 1.0)
    assert world.metric("SchemaMismatchRate") == (1.0, 1.0, 1.0)
    (note,) = world.notifications()
    assert "Schema change: 500 of 500 records differ from the baseline's 3 fields" in note
    (event,) = world.events()
    assert event["detail"]["schema"]["mismatched"] == 500


def test_a_few_odd_lines_are_no_schema_change(world: World) -> None:
    world.put_baseline(BASE)
    rows, now = make_rows(500, seed=43), datetime.now(UTC)
    lines = [capture_line(rows.csv(i) + (",x" if i < 3 else ""), 0.5, now) for i in range(len(rows))]
    world.put_capture(("\n".join(lines) + "\n").encode())
    outcome = world.invoke()
    assert outcome["status"] == "ok"
    schema = world.read_json(outcome["report_key"])["drift"]["schema"]
    assert (schema["status"], schema["mismatched"], schema["records"]) == ("ok", 3, 500)
