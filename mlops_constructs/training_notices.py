"""The notifications of a training run: skipped, stopped by the gate, failed, published."""

from typing import Any

from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

JsonPath = sfn.JsonPath

# What each outcome's message carries, read from the execution's state.
_FIELDS: dict[str, dict[str, Any]] = {
    "skipped": {"run": "$.run.runName", "reason": "$.run.reason"},
    "stopped": {
        "run": "$.run.runName",
        "reason": "$.evaluation.reason",
        "comparison": "$.evaluation.comparison",
    },
    "published": {
        "run": "$.run.runName",
        "version": "$.published.version",
        "manifest": "$.published.manifestUri",
    },
    "failed": {"error": "$.error"},
}


def notify(
    scope: Construct, construct_id: str, *, topic: sns.ITopic, model_name: str, outcome: str
) -> tasks.SnsPublish:
    """Publish the run's outcome to the project's topic; the message names the execution to look at."""
    fields = {
        name: JsonPath.object_at(path) if name in {"error", "comparison"} else JsonPath.string_at(path)
        for name, path in _FIELDS[outcome].items()
    }
    return tasks.SnsPublish(
        scope,
        construct_id,
        topic=topic,
        subject=f"Training {outcome}: {model_name}"[:100],
        message=sfn.TaskInput.from_object(
            {"model": model_name, "outcome": outcome, "execution": JsonPath.execution_id, **fields}
        ),
        result_path=JsonPath.DISCARD,
    )
