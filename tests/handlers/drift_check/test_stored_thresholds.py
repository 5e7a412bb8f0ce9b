"""Thresholds registration stored beside the profile apply; the schedule input's own values win."""

from __future__ import annotations

import json

import numpy as np

from tests.handlers.drift_check.capture_files import Rows, baseline_profile, make_rows
from tests.handlers.drift_check.conftest import World


def _with_missing_spend(rows: Rows, share: float) -> Rows:
    spend = rows.spend.copy()
    spend[: int(share * len(rows))] = np.nan
    return Rows(rows.tenure, spend, rows.plan)


def _put_baseline(world: World, rows: Rows, stored: dict[str, object]) -> None:
    document = baseline_profile(rows).to_dict() | {"drift_thresholds": stored}
    event = world.event["baseline"]
    world.s3.put_object(Bucket=event["bucket"], Key=event["key"], Body=json.dumps(document).encode())


def test_a_stored_missing_rate_decrease_threshold_alarms_on_a_drop(world: World) -> None:
    # Given a baseline with 40 % of spend missing, registered with missing_rate_decrease 0.1
    _put_baseline(world, _with_missing_spend(make_rows(3000, seed=51), 0.4), {"missing_rate_decrease": 0.1})
    world.put_rows(make_rows(1000, seed=52))  # no value missing
    outcome = world.invoke()
    spend = next(
        f for f in world.read_json(outcome["report_key"])["drift"]["features"] if f["name"] == "spend"
    )
    assert outcome["status"] == "drift" and spend["breaches"] == ["missing_rate_decrease"]
    assert spend["thresholds"]["missing_rate_decrease"] == 0.1


def test_without_it_a_drop_is_reported_only(world: World) -> None:
    _put_baseline(world, _with_missing_spend(make_rows(3000, seed=51), 0.4), {"unknown_future_name": 1})
    world.put_rows(make_rows(1000, seed=52))
    outcome = world.invoke()
    assert outcome["status"] == "ok"
