"""The local States Language runner: paths, parameters, result placement, choices and catches."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_local.state_machine import StateMachine, TaskFailedError, fill, lambda_error, place, read_path

CONTEXT = {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:e1", "Input": {"t": 1}}}


def test_paths_read_the_data_and_the_context_object():
    data = {"run": {"runName": "r-1"}}

    assert read_path("$.run.runName", data, CONTEXT) == "r-1"
    assert read_path("$$.Execution.Id", data, CONTEXT).endswith(":e1")
    assert read_path("$", data, CONTEXT) is data
    with pytest.raises(TaskFailedError, match=r"\$\.run\.missing does not exist"):
        read_path("$.run.missing", data, CONTEXT)


def test_parameters_fill_paths_and_format_and_keep_literals():
    template = {
        "action": "evaluate",
        "run.$": "$.run",
        "uri.$": "States.Format('s3://b/jobs/{}/output/{}', $.run.runName, $.file)",
        "nested": {"arn.$": "$$.Execution.Id"},
    }
    data = {"run": {"runName": "r-1"}, "file": "model.tar.gz"}

    assert fill(template, data, CONTEXT) == {
        "action": "evaluate",
        "run": {"runName": "r-1"},
        "uri": "s3://b/jobs/r-1/output/model.tar.gz",
        "nested": {"arn": CONTEXT["Execution"]["Id"]},
    }


@pytest.mark.parametrize(
    ("path", "absent", "expected"),
    [
        ("$.out", False, {"a": 1, "out": {"x": 2}}),
        (None, False, {"a": 1}),  # ResultPath null: the result is dropped
        ("$", False, {"x": 2}),
        ("$.deep.er", False, {"a": 1, "deep": {"er": {"x": 2}}}),
        (None, True, {"x": 2}),  # no ResultPath at all: the result replaces the input
    ],
)
def test_result_path_places_the_result(path, absent, expected):
    data = {"a": 1}

    assert place(data, {"x": 2}, path, absent=absent) == expected
    assert data == {"a": 1}  # the input is not changed in place


def _machine(integrations: dict[str, Any]) -> StateMachine:
    return StateMachine(
        {
            "StartAt": "Work",
            "States": {
                "Work": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
                    "Parameters": {"value.$": "$.value"},
                    "ResultSelector": {"doubled.$": "$.doubled"},
                    "ResultPath": "$.work",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                    "Next": "Big",
                },
                "Big": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.work.doubled", "StringEquals": "big", "Next": "Done"}],
                    "Default": "Small",
                },
                "Small": {
                    "Type": "Pass",
                    "Parameters": {"size": "small"},
                    "ResultPath": "$.size",
                    "End": True,
                },
                "Done": {"Type": "Succeed"},
                "Failed": {"Type": "Fail", "Error": "WorkFailed", "Cause": "the work failed"},
            },
        },
        integrations,
    )


def test_a_run_follows_task_choice_and_pass_states():
    def work(params):
        return {"doubled": "big" if params["value"] > 1 else "small", "noise": True}

    machine = _machine({"arn:aws:lambda:": work})

    big = machine.run("arn:e:1", {"value": 2})
    small = machine.run("arn:e:2", {"value": 1})

    assert (big.status, big.states, big.output) == ("SUCCEEDED", ["Work", "Big", "Done"], {
        "value": 2, "work": {"doubled": "big"}})  # fmt: skip
    assert small.states == ["Work", "Big", "Small"] and small.output["size"] == {"size": "small"}


def test_a_failed_task_is_caught_with_its_error_and_cause():
    def work(params):
        raise lambda_error(ValueError("channel train: no data"))

    run = _machine({"arn:aws:lambda:": work}).run("arn:e:3", {"value": 2})

    assert (run.status, run.error, run.states) == ("FAILED", "WorkFailed", ["Work", "Failed"])
    assert run.output["error"]["Error"] == "ValueError"
    assert json.loads(run.output["error"]["Cause"])["errorMessage"] == "channel train: no data"


def test_a_resource_without_a_stand_in_fails_the_task_naming_it():
    run = _machine({}).run("arn:e:4", {"value": 2})

    assert run.status == "FAILED"
    assert (
        "no stand-in for arn:aws:lambda:us-east-1:123456789012:function:work" in run.output["error"]["Cause"]
    )


def test_an_integrations_own_exception_fails_the_task_through_its_catch():
    def work(params):
        raise KeyError("ModelDataUrl")

    run = _machine({"arn:aws:lambda:": work}).run("arn:e:5", {"value": 2})

    assert run.states == ["Work", "Failed"]
    assert run.output["error"] == {"Error": "States.TaskFailed", "Cause": "KeyError: 'ModelDataUrl'"}


def test_an_uncaught_failure_ends_the_execution_with_its_error():
    machine = StateMachine(
        {
            "StartAt": "Read",
            "States": {"Read": {"Type": "Pass", "Parameters": {"x.$": "$.absent"}, "End": True}},
        },
        {},
    )

    run = machine.run("arn:e:6", {})

    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "$.absent does not exist" in str(run.cause)


def _polling_machine(answers: list[str]) -> StateMachine:
    """Start, wait, look, count: the AutoML loop's shape, with a look that answers from `answers`."""
    states = {
        "Start": {"Type": "Pass", "Result": {"polls": 0}, "ResultPath": "$.job", "Next": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 300, "Next": "Look"},
        "Look": {"Type": "Task", "Resource": "arn:look", "ResultPath": "$.status", "Next": "Ended"},
        "Ended": {
            "Type": "Choice",
            "Choices": [
                {
                    "Or": [{"Variable": "$.status", "StringEquals": s} for s in ("Completed", "Failed")],
                    "Next": "Done",
                },
                {"Variable": "$.job.polls", "NumericGreaterThanEquals": 2, "Next": "TooLong"},
            ],
            "Default": "Count",
        },
        "Count": {
            "Type": "Pass",
            "Parameters": {"polls.$": "States.MathAdd($.job.polls, 1)"},
            "ResultPath": "$.job",
            "Next": "Wait",
        },
        "Done": {"Type": "Succeed"},
        "TooLong": {"Type": "Fail", "Error": "Timeout"},
    }
    return StateMachine({"StartAt": "Start", "States": states}, {"arn:look": lambda _: answers.pop(0)})


def test_a_polling_loop_waits_counts_and_leaves_when_the_job_ends():
    run = _polling_machine(["InProgress", "Failed"]).run("arn:e:p", {})

    assert run.status == "SUCCEEDED" and run.output["job"] == {"polls": 1}
    assert run.states == ["Start", "Wait", "Look", "Ended", "Count", "Wait", "Look", "Ended", "Done"]


def test_a_polling_loop_gives_up_after_its_count():
    run = _polling_machine(["InProgress"] * 5).run("arn:e:q", {})

    assert (run.status, run.error, run.output["job"]) == ("FAILED", "Timeout", {"polls": 2})
