"""Runs a synthesized Step Functions definition (Amazon States Language) state by state, in-process.

The subset the training pipelines use: Task (each resource answered by an integration), Choice
(StringEquals, BooleanEquals, IsPresent, NumericGreaterThanEquals, Or), Pass, Wait (not waited), Succeed
and Fail; Parameters and ResultSelector with `.$` paths, `States.Format` and `States.MathAdd`; ResultPath;
Catch. Retry is not imitated: local calls do not fail
transiently, and a real failure must show at once rather than after minutes of back-off.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Integration = Callable[[dict[str, Any]], Any]
_FORMAT = re.compile(r"^States\.Format\('((?:[^'\\]|\\.)*)'((?:\s*,\s*[^,)]+)*)\)$")
_MATH_ADD = re.compile(r"^States\.MathAdd\((\$[^,]*),\s*(-?\d+)\)$")
MAX_TRANSITIONS = 200  # the pipelines have about 20 states; more means a loop


class TaskFailedError(Exception):
    """A task failed: `error` is the Step Functions error name, `cause` the text it carries."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error, self.cause = error, cause


@dataclass
class MachineRun:
    """One execution: its states in order, and how it ended."""

    execution_arn: str
    input: dict[str, Any]
    status: str = "RUNNING"  # SUCCEEDED | FAILED
    states: list[str] = field(default_factory=list)
    output: Any = None
    error: str | None = None
    cause: str | None = None


def read_path(path: str, data: Any, context: Mapping[str, Any]) -> Any:
    """The value at a `$.a.b` path of the state's data, or a `$$.a.b` path of the context object."""
    root, rest = (context, path[2:]) if path.startswith("$$") else (data, path[1:])
    value: Any = root
    for part in filter(None, rest.split(".")):
        if not isinstance(value, Mapping) or part not in value:
            raise TaskFailedError("States.Runtime", f"the path {path} does not exist in the input")
        value = value[part]
    return value


def _intrinsic(text: str, data: Any, context: Mapping[str, Any]) -> Any:
    """A path, States.Format('...{}...', $.path, ...) or States.MathAdd($.path, n)."""
    added = _MATH_ADD.match(text.strip())
    if added is not None:
        return read_path(added.group(1), data, context) + int(added.group(2))
    found = _FORMAT.match(text.strip())
    if found is None:
        return read_path(text, data, context)
    template = found.group(1).replace("\\'", "'")
    values = [read_path(a.strip(), data, context) for a in found.group(2).split(",") if a.strip()]
    for value in values:
        template = template.replace("{}", str(value), 1)
    return template


def fill(template: Any, data: Any, context: Mapping[str, Any]) -> Any:
    """Parameters or ResultSelector: keys ending in `.$` take the value of their path or intrinsic."""
    if isinstance(template, list):
        return [fill(item, data, context) for item in template]
    if not isinstance(template, dict):
        return template
    filled: dict[str, Any] = {}
    for key, value in template.items():
        if key.endswith(".$"):
            filled[key[:-2]] = _intrinsic(value, data, context)
        else:
            filled[key] = fill(value, data, context)
    return filled


def place(data: Any, result: Any, result_path: str | None, *, absent: bool) -> Any:
    """Put a state's result into its data as ResultPath says (left out: the result replaces the data)."""
    if absent:
        return result
    if result_path is None:
        return data
    if result_path == "$":
        return result
    out = copy.deepcopy(data) if isinstance(data, dict) else {}
    target = out
    *parents, last = result_path[2:].split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = result
    return out


def _matches(rule: dict[str, Any], data: Any, context: Mapping[str, Any]) -> bool:
    """One choice rule: Or of rules, or a comparison of the value at its Variable."""
    if "Or" in rule:
        return any(_matches(inner, data, context) for inner in rule["Or"])
    try:
        value, present = read_path(rule["Variable"], data, context), True
    except TaskFailedError:
        value, present = None, False
    if "IsPresent" in rule:
        return present is rule["IsPresent"]
    if "StringEquals" in rule:
        return present and value == rule["StringEquals"]
    if "BooleanEquals" in rule:
        return present and value is rule["BooleanEquals"]
    if "NumericGreaterThanEquals" in rule:
        return present and isinstance(value, int | float) and value >= rule["NumericGreaterThanEquals"]
    raise TaskFailedError("States.Runtime", f"local mode cannot evaluate the choice rule {rule}")


def _choose(state: dict[str, Any], data: Any, context: Mapping[str, Any]) -> str:
    """The Next of the first matching choice rule, else the Default."""
    for rule in state.get("Choices", []):
        if _matches(rule, data, context):
            return str(rule["Next"])
    if "Default" not in state:
        raise TaskFailedError("States.NoChoiceMatched", f"no choice matched in {state}")
    return str(state["Default"])


class StateMachine:
    """One definition and the integrations that answer its Task resources (matched by prefix)."""

    def __init__(self, definition: dict[str, Any], integrations: Mapping[str, Integration]) -> None:
        self.definition, self._integrations = definition, integrations

    def run(self, execution_arn: str, machine_input: dict[str, Any]) -> MachineRun:
        """Run from StartAt to a Succeed or Fail state (or an end), recording every state entered."""
        run = MachineRun(execution_arn, machine_input)
        context = {"Execution": {"Id": execution_arn, "Input": machine_input}}
        name: str | None = self.definition["StartAt"]
        data: Any = machine_input
        for _ in range(MAX_TRANSITIONS):
            if name is None:
                run.status, run.output = "SUCCEEDED", data
                return run
            run.states.append(name)
            state = self.definition["States"][name]
            if state["Type"] == "Fail":
                run.status, run.error, run.cause = "FAILED", state.get("Error"), state.get("Cause")
                run.output = data  # what the execution knew when it failed (the console shows it too)
                return run
            if state["Type"] == "Succeed":
                run.status, run.output = "SUCCEEDED", data
                return run
            try:
                name, data = self._step(state, data, context)
            except TaskFailedError as failure:  # not caught by the state: the execution fails with it
                run.status, run.error, run.cause, run.output = "FAILED", failure.error, failure.cause, data
                return run
        raise RuntimeError(f"{execution_arn}: more than {MAX_TRANSITIONS} state transitions")

    def _step(self, state: dict[str, Any], data: Any, context: Mapping[str, Any]) -> tuple[str | None, Any]:
        """Run one Choice, Pass or Task state; return the next state's name and its input."""
        if state["Type"] == "Choice":
            return _choose(state, data, context), data
        following = None if state.get("End") else state.get("Next")
        if state["Type"] == "Wait":  # local jobs end before they are looked at: waiting changes nothing
            return following, data
        if state["Type"] == "Pass":
            result = (
                state["Result"] if "Result" in state else fill(state.get("Parameters", data), data, context)
            )
            return following, place(data, result, state.get("ResultPath"), absent="ResultPath" not in state)
        try:
            result = self._task(state, data, context)
        except TaskFailedError as failure:
            catcher = next((c for c in state.get("Catch", []) if _catches(c, failure.error)), None)
            if catcher is None:
                raise
            error = {"Error": failure.error, "Cause": failure.cause}
            return catcher["Next"], place(data, error, catcher.get("ResultPath", "$"), absent=False)
        return following, place(data, result, state.get("ResultPath"), absent="ResultPath" not in state)

    def _task(self, state: dict[str, Any], data: Any, context: Mapping[str, Any]) -> Any:
        """Call the integration of the task's resource with its parameters; apply the ResultSelector."""
        resource = str(state["Resource"])
        integration = next((f for p, f in self._integrations.items() if resource.startswith(p)), None)
        if integration is None:
            raise TaskFailedError("States.Runtime", f"local mode has no stand-in for {resource}")
        try:
            result = integration(fill(state.get("Parameters", data), data, context))
        except TaskFailedError:
            raise
        except Exception as error:  # a stand-in's own failure (a bad CSV, a moto refusal) fails the task
            raise TaskFailedError("States.TaskFailed", f"{type(error).__name__}: {error}") from error
        if "ResultSelector" in state:
            result = fill(state["ResultSelector"], result, context)
        return result


def _catches(catcher: Mapping[str, Any], error: str) -> bool:
    """A Catch matches States.ALL or the error's name."""
    names = catcher.get("ErrorEquals", [])
    return "States.ALL" in names or error in names


def lambda_error(error: Exception) -> TaskFailedError:
    """A handler's exception as Step Functions reports a Lambda function error (type name, JSON cause)."""
    name = type(error).__name__
    return TaskFailedError(name, json.dumps({"errorMessage": str(error), "errorType": name}))
