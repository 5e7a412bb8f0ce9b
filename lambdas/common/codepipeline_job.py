"""CodePipeline Lambda-invoke jobs: read the job and its UserParameters, and always report a result."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_CHARS = 5000  # CodePipeline's limit on a failure message


class JobParametersError(ValueError):
    """The action's UserParameters are missing or malformed; the message says what is expected."""


@dataclass(frozen=True)
class Verdict:
    """The outcome reported to CodePipeline; failure_type is a CodePipeline FailureDetails type."""

    passed: bool
    message: str
    failure_type: str = "JobFailed"
    continuation: str | None = None  # passed, not finished: CodePipeline calls again with this token
    output_variables: dict[str, str] | None = None  # passed: the action's namespace carries these


def job_id_of(event: dict[str, Any]) -> str:
    """The CodePipeline job id, or KeyError when the event is not a CodePipeline job."""
    job_id = event["CodePipeline.job"]["id"]
    if not isinstance(job_id, str) or not job_id:
        raise KeyError("CodePipeline.job.id")
    return job_id


def continuation_token(event: dict[str, Any]) -> str | None:
    """The token a previous call of this job handed CodePipeline, or None on the job's first call."""
    token = event["CodePipeline.job"].get("data", {}).get("continuationToken")
    return token if isinstance(token, str) and token else None


def user_parameters(event: dict[str, Any], required: Sequence[str]) -> dict[str, Any]:
    """The job's JSON UserParameters; every `required` key must be a non-empty string."""
    configuration = event["CodePipeline.job"].get("data", {}).get("actionConfiguration", {})
    raw = configuration.get("configuration", {}).get("UserParameters")
    try:
        parameters = json.loads(raw) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        parameters = None
    if not isinstance(parameters, dict):
        raise JobParametersError(f"UserParameters must be a JSON object with {', '.join(required)}")
    missing = [name for name in required if not isinstance(parameters.get(name), str) or not parameters[name]]
    if missing:
        raise JobParametersError(f"UserParameters lack {', '.join(missing)} (non-empty strings)")
    return parameters


def report(codepipeline: Any, job_id: str, verdict: Verdict) -> None:
    """Tell CodePipeline the job's result (raises if CodePipeline refuses, so Lambda retries)."""
    if verdict.passed and verdict.continuation:
        codepipeline.put_job_success_result(jobId=job_id, continuationToken=verdict.continuation)
        return
    if verdict.passed and verdict.output_variables:
        codepipeline.put_job_success_result(jobId=job_id, outputVariables=verdict.output_variables)
        return
    if verdict.passed:
        codepipeline.put_job_success_result(jobId=job_id)
        return
    codepipeline.put_job_failure_result(
        jobId=job_id,
        failureDetails={"type": verdict.failure_type, "message": verdict.message[:MAX_MESSAGE_CHARS]},
    )


def answer_job(
    codepipeline: Any, job_id: str, step: Callable[[], Verdict], logger: Any, what: str
) -> Verdict:
    """Run one pipeline step and report its verdict: whatever goes wrong, the job gets a result."""
    try:
        verdict = step()
    except JobParametersError as error:
        verdict = Verdict(False, str(error), "ConfigurationError")
    except Exception as error:  # the job must get a result whatever went wrong
        logger.exception(f"{what} crashed")
        verdict = Verdict(False, f"{what} crashed ({type(error).__name__}); see the function's logs")
    report(codepipeline, job_id, verdict)
    return verdict


def run_job(
    runtime: Any, event: dict[str, Any], what: str, step: Callable[[Any, Any], Verdict]
) -> dict[str, Any]:
    """The whole life of a pipeline step whose clients include `codepipeline`: read the job, run
    `step(settings, clients)`, report its verdict, log it and count it ("<What>Passed"/"<What>Failed")."""
    job_id = job_id_of(event)  # not a CodePipeline job: there is nobody to report to, so raise
    runtime.logger.append_keys(job_id=job_id)
    settings, clients = runtime.get()
    verdict = answer_job(clients.codepipeline, job_id, lambda: step(settings, clients), runtime.logger, what)
    runtime.logger.info(f"{what} reported", extra={"passed": verdict.passed, "verdict": verdict.message})
    runtime.count(f"{what.capitalize()}{'Passed' if verdict.passed else 'Failed'}")
    return {"passed": verdict.passed, "message": verdict.message}
