"""The AutoML states of a training pipeline: start Autopilot V2, look at it until it ends, take its best
candidate; a job that outlives its time limit and grace is stopped and the run fails.

Step Functions has no `.sync` integration for AutoML jobs, so the job is started and described through the
AWS SDK integration and the state machine polls (mlops_training.automl.poll_plan); IAM: training_roles.py.
"""

from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from mlops_constructs.training_job_states import JobPlacement
from mlops_training.automl import automl_request, poll_plan
from mlops_training.job import AutoMLJob
from mlops_training.spec import TrainingSpec

JsonPath = sfn.JsonPath
ENDED = ("Completed", "Failed", "Stopped")
_POLLS = "$.automlJob.polls"


class AutoMLStates(Construct):
    """Start -> wait -> describe -> (ended: candidate | too long: stop, fail | else: count, wait)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: TrainingSpec,
        placement: JobPlacement,
        candidate: sfn.TaskStateBase,
        failed: sfn.IChainable,
    ) -> None:
        super().__init__(scope, construct_id)
        job = spec.job
        assert isinstance(job, AutoMLJob)  # the pipeline builds these states for automl specs only
        request = automl_request(
            spec, role_arn=placement.role_arn, output_uri=placement.output_uri, key_arn=placement.key_arn
        )
        self.start = self._sdk(
            "StartAutoML",
            "createAutoMLJobV2",
            {"AutoMLJobName.$": "$.run.runName", **request},
            result_path="$.automlJob",
            result_selector={"arn.$": "$.AutoMLJobArn", "polls": 0},
        )
        describe = self._sdk(
            "DescribeAutoML",
            "describeAutoMLJobV2",
            {"AutoMLJobName.$": "$.run.runName"},
            result_path="$.automl",
        )
        self.start.next(self._loop(job, describe, candidate, failed))
        self.catchable: list[sfn.CustomState] = [self.start, describe]
        self.chain = sfn.Chain.custom(self.start, [candidate], candidate)

    def _loop(
        self, job: AutoMLJob, describe: sfn.CustomState, candidate: sfn.IChainable, failed: sfn.IChainable
    ) -> sfn.Wait:
        """Wait, describe, decide; the loop's first state (the wait)."""
        plan = poll_plan(job)
        wait = sfn.Wait(
            self, "WaitForAutoML", time=sfn.WaitTime.duration(Duration.seconds(plan.interval_seconds))
        )
        count = sfn.Pass(self, "CountPoll", result_path="$.automlJob", parameters={
            "arn": JsonPath.string_at("$.automlJob.arn"),
            "polls": JsonPath.math_add(JsonPath.number_at(_POLLS), 1),
        })  # fmt: skip
        ended = sfn.Condition.or_(
            *(sfn.Condition.string_equals("$.automl.AutoMLJobStatus", s) for s in ENDED)
        )
        decide = (
            sfn.Choice(self, "AutoMLEnded")
            .when(ended, candidate)
            .when(sfn.Condition.number_greater_than_equals(_POLLS, plan.max_polls), self._stop(job, failed))
            .otherwise(count.next(wait))
        )
        wait.next(describe).next(decide)
        return wait

    def _stop(self, job: AutoMLJob, failed: sfn.IChainable) -> sfn.IChainable:
        """Stop the job (a refused stop is no reason to wait longer) and fail the run, saying why."""
        cause = f"the AutoML job ran past its {job.max_runtime_minutes}-minute limit and the grace; stopped"
        timed_out = sfn.Pass(
            self, "AutoMLTimedOut", result=sfn.Result.from_object({"Error": "AutoMLTimeout", "Cause": cause}),
            result_path="$.error",
        ).next(failed)  # fmt: skip
        stop = self._sdk(
            "StopAutoML", "stopAutoMLJob", {"AutoMLJobName.$": "$.run.runName"}, result_path=None
        )
        stop.add_catch(timed_out, errors=[sfn.Errors.ALL], result_path="$.stopError")
        return stop.next(timed_out)

    def _sdk(
        self,
        construct_id: str,
        action: str,
        parameters: dict[str, Any],
        *,
        result_path: str | None,
        result_selector: dict[str, Any] | None = None,
    ) -> sfn.CustomState:
        """A SageMaker call through the AWS SDK integration (request and response, no waiting)."""
        state: dict[str, Any] = {
            "Type": "Task",
            "Resource": f"arn:{Stack.of(self).partition}:states:::aws-sdk:sagemaker:{action}",
            "Parameters": parameters,
            "ResultPath": result_path,
        }
        if result_selector is not None:
            state["ResultSelector"] = result_selector
        return sfn.CustomState(self, construct_id, state_json=state)
