"""Checkpointing: each capture record is analysed exactly once, even across a crash."""

from __future__ import annotations

import pytest

from lambdas.drift_check import publishing
from mlops_drift import file_read
from tests.handlers.drift_check.capture_files import make_rows
from tests.handlers.drift_check.conftest import World

BASE = make_rows(3000, seed=11)


def test_second_run_sees_only_new_files(world: World) -> None:
    world.put_baseline(BASE)
    rows = make_rows(900, seed=12)
    world.put_rows(rows, 0, 500)
    first = world.invoke()
    world.put_rows(rows, 500, 900)
    second = world.invoke()
    third = world.invoke()
    assert (first["records"], first["files"]) == (500, 1)
    assert (second["records"], second["files"]) == (400, 1)
    assert (third["records"], third["files"], third["status"]) == (0, 0, "insufficient_data")
    checkpoint = world.read_json("drift/churn-prod/checkpoint.json")
    assert checkpoint["pending"] is None
    assert checkpoint["position"]["key"] == world.keys("datacapture/", world.event["capture"]["bucket"])[-1]


def test_crash_before_checkpoint_reprocesses_and_never_double_counts(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a run that dies after writing its reports but before moving the checkpoint
    world.put_baseline(BASE)
    rows = make_rows(600, seed=13)
    world.put_rows(rows, 0, 300)
    world.put_rows(rows, 300, 600)

    def crash(*_: object) -> None:
        raise RuntimeError("simulated crash")

    with monkeypatch.context() as patched:  # only the crash is undone: the world's environment stays
        patched.setattr(publishing, "publish_metrics", crash)
        patched.setattr("lambdas.drift_check.service.publish_metrics", crash)
        with pytest.raises(RuntimeError, match="simulated crash"):
            world.invoke()
    assert world.keys("drift/churn-prod/checkpoint") == []
    # When the schedule fires again
    retry = world.invoke()
    again = world.invoke()
    # Then the same records are analysed once more, and then never again
    assert (retry["records"], retry["files"]) == (600, 2)
    assert again["records"] == 0
    history = world.read_json("drift/churn-prod/history.json")
    windows = [h["through"]["key"] for h in history if h["through"]]
    assert len(windows) == len(set(windows)) == 1
    assert set(history[-1]["scores"]) == {"tenure", "spend", "plan"}


def test_a_check_out_of_time_moves_the_checkpoint_past_what_it_read_and_the_next_reads_the_rest(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given three capture files and a check whose time runs out while it reads the second one
    world.put_baseline(BASE)
    rows = make_rows(900, seed=14)
    keys = [world.put_rows(rows, start, start + 300) for start in range(0, 900, 300)]
    answers = iter([False, False, True])  # first file's piece, before the second file, second file's piece
    with monkeypatch.context() as patched:
        patched.setattr(file_read.Deadline, "passed", lambda _: next(answers, True))
        first = world.invoke()
    # Then it reports on the first file only, and the checkpoint stops there
    assert (first["records"], first["files"]) == (300, 1)
    report = world.read_json(first["report_key"])
    assert report["window"]["through"]["key"] == keys[0]
    assert report["window"]["files_left_for_next_check"] == 2
    # When the next check runs with time enough, it reads the other two files, once
    second = world.invoke()
    assert (second["records"], second["files"]) == (600, 2)
    assert world.read_json("drift/churn-prod/checkpoint.json")["position"]["key"] == keys[-1]
    assert world.invoke()["records"] == 0
