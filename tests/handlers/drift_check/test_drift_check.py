"""Drift check with moto: verdicts, metrics, reports, notification and event."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ks_2samp

from lambdas.drift_check.request import BadRequestError
from tests.handlers.drift_check.capture_files import make_rows
from tests.handlers.drift_check.conftest import REPORTS, World

BASE = make_rows(5000, seed=1)


def test_same_distribution_reports_no_drift(world: World) -> None:
    # Given a baseline and capture drawn from the same distributions
    world.put_baseline(BASE)
    current = make_rows(1500, seed=2)
    world.put_rows(current, 0, 700)
    world.put_rows(current, 700)
    # When the check runs
    outcome = world.invoke()
    # Then every record is analysed, nothing drifted and nobody is told
    assert outcome["status"] == "ok"
    assert (outcome["records"], outcome["files"]) == (1500, 2)
    assert world.metric("DriftDetected") == (0.0, 0.0, 1.0)
    assert world.metric("RecordsAnalyzed") == (1500.0, 1500.0, 1.0)
    assert world.notifications() == [] and world.events() == []
    report = world.read_json("drift/churn-prod/latest.json")
    assert report["drift"]["drifted_features"] == []
    assert report["reports"]["html"].endswith(".html")


def test_shifted_feature_is_detected_measured_and_announced(world: World) -> None:
    # Given tenure shifted by one standard deviation and the plan mix reversed
    world.put_baseline(BASE)
    current = make_rows(2000, seed=3, shift=1.0, plan_weights=(0.2, 0.3, 0.5))
    world.put_rows(current)
    # When the check runs
    outcome = world.invoke()
    # Then tenure and plan drift, spend does not
    assert outcome["status"] == "drift"
    report = world.read_json(outcome["report_key"])
    assert sorted(report["drift"]["drifted_features"]) == ["plan", "tenure"]
    assert world.metric("DriftDetected") == (1.0, 1.0, 1.0)
    assert world.metric("DriftedFeatureCount") == (2.0, 2.0, 1.0)
    # The binned KS published is within one fine bin's mass (~1 %) of scipy's exact statistic on the raw data
    exact = ks_2samp(BASE.tenure, current.tenure).statistic
    ks = world.metric("KS", "tenure")
    assert ks is not None and exact - 0.03 <= ks[0] <= exact + 1e-9
    spend_ks = world.metric("KS", "spend")
    assert spend_ks is not None and spend_ks[0] <= ks_2samp(BASE.spend, current.spend).statistic + 1e-9
    # PSI of the plan mix equals a direct computation from the raw shares
    base_p = np.array([np.mean(BASE.plan == p) for p in ("basic", "plus", "pro")])
    cur_p = np.array([np.mean(current.plan == p) for p in ("basic", "plus", "pro")])
    plan_psi = world.metric("PSI", "plan")
    assert plan_psi is not None and plan_psi[0] == pytest.approx(
        float(np.sum((cur_p - base_p) * np.log(cur_p / base_p))), rel=1e-6
    )
    # And both reports exist, the notification names the features and the event carries the details
    assert set(report["reports"]) == {"json", "html"}
    html_key = report["reports"]["html"].removeprefix(f"s3://{REPORTS}/")
    assert b"<svg" in world.read(html_key)
    (note,) = world.notifications()
    assert "churn-prod" in note and "tenure: psi=" in note and "plan: psi=" in note
    assert report["reports"]["html"] in note and "spend" not in note
    (event,) = world.events()
    assert event["detail-type"] == "ModelDriftDetected" and event["source"] == "mlops.orchestrator"
    detail = event["detail"]
    assert detail["endpoint_name"] == "churn-prod" and detail["model_version"] == "v3"
    assert sorted(f["name"] for f in detail["drifted_features"]) == ["plan", "tenure"]
    assert detail["reports"] == report["reports"]


def test_too_few_records_is_insufficient_data_without_alarm(world: World) -> None:
    world.put_baseline(BASE)
    world.put_rows(make_rows(40, seed=4, shift=3.0))
    outcome = world.invoke()
    assert outcome["status"] == "insufficient_data" and outcome["records"] == 40
    assert world.metric("DriftDetected") == (0.0, 0.0, 1.0)
    assert world.notifications() == [] and world.events() == []
    assert world.read_json("drift/churn-prod/latest.json")["status"] == "insufficient_data"


def test_malformed_lines_are_counted_and_skipped(world: World) -> None:
    world.put_baseline(BASE)
    rows = make_rows(300, seed=5)
    good = world.put_rows(rows)
    body = world.read(good, world.event["capture"]["bucket"]).decode().splitlines()
    broken = [
        "{not json",
        '{"eventMetadata": {"eventId": "x"}}',
        body[0].replace('"data":"', '"data":"1,', 1),
        "",
    ]
    world.put_capture(("\n".join(broken) + "\n").encode())
    outcome = world.invoke()
    report = world.read_json(outcome["report_key"])
    # the blank line is not malformed; the 4-column record is (width 4, expected 3)
    assert report["malformed_lines"] == 3 and outcome["records"] == 300
    assert len(report["issues"]) == 3 and {i["line"] for i in report["issues"]} == {1, 2, 3}
    assert world.metric("MalformedLines") == (3.0, 3.0, 1.0)


def test_invalid_schedule_input_lists_every_problem(world: World) -> None:
    event = dict(world.event, endpoint_name="bad name!", capture={"bucket": "x"})
    del event["model_version"]
    with pytest.raises(BadRequestError) as raised:
        world.invoke(event)
    message = str(raised.value)
    assert "endpoint_name" in message and "model_version" in message and "capture.bucket" in message
