"""Asynchronous endpoints: submit the payload through S3, then collect the answer over several job calls.

The first call writes the payload under `async-input/` in the data-capture bucket, submits it with
InvokeEndpointAsync and hands CodePipeline a continuation token naming where the answer will appear.
CodePipeline calls again with that token; each later call polls the output (and failure) object for a
while and either returns the answer, fails the job, or continues once more — until the deadline.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.codepipeline_job import JobParametersError, Verdict
from lambdas.common.s3_objects import MISSING_CODES
from lambdas.common.s3_uri import split_s3_uri
from lambdas.smoke_test.settings import ASYNC_INPUT_PREFIX
from mlops_manifest.monitoring import SmokeTest


@dataclass(frozen=True)
class AsyncOptions:
    """Where payloads go, how long an answer may take, and how each call waits (clock injectable)."""

    input_bucket: str
    timeout_seconds: int
    poll_seconds: float = 5.0
    wait_per_call_seconds: float = 60.0
    clock: Callable[[], float] = field(default=time.time, compare=False)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


@dataclass(frozen=True)
class Pending:
    """A submitted request: the S3 URIs of its answer and failure, and when to give up (epoch seconds)."""

    output: str
    failure: str | None
    deadline: float

    def token(self) -> str:
        """The continuation token CodePipeline hands back on the next call."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_token(cls, token: str) -> Pending:
        """Read a continuation token written by `token`."""
        try:
            data = json.loads(token)
            return cls(str(data["output"]), data.get("failure"), float(data["deadline"]))
        except (ValueError, TypeError, KeyError) as error:
            raise JobParametersError(f"unreadable continuation token ({type(error).__name__})") from None


def submit(endpoint: str, job_id: str, test: SmokeTest, clients: Any, options: AsyncOptions) -> Verdict:
    """Write the payload to S3, submit it, and continue the job with where the answer will be."""
    key = f"{ASYNC_INPUT_PREFIX}{endpoint}/{job_id}"
    clients.s3.put_object(
        Bucket=options.input_bucket, Key=key, Body=test.payload.encode("utf-8"), ContentType=test.content_type
    )
    try:
        response = clients.runtime.invoke_endpoint_async(
            EndpointName=endpoint,
            InputLocation=f"s3://{options.input_bucket}/{key}",
            ContentType=test.content_type,
            Accept=test.accept,
            InferenceId=job_id[:64],
        )
    except ClientError as error:
        details = error.response.get("Error", {})
        return Verdict(
            False,
            f"{endpoint}: invoke_endpoint_async failed with {details.get('Code')}: "
            f"{details.get('Message', '')}",
        )
    pending = Pending(
        response["OutputLocation"], response.get("FailureLocation"), options.clock() + options.timeout_seconds
    )
    return Verdict(
        True, f"{endpoint}: payload submitted; waiting for the answer", continuation=pending.token()
    )


def _read(s3: Any, uri: str, max_bytes: int) -> bytes | None:
    """The object's first max_bytes + 1 bytes, or None while it does not exist."""
    bucket, key = split_s3_uri(uri)
    try:
        body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read(max_bytes + 1)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    return body


def collect(
    endpoint: str, pending: Pending, s3: Any, options: AsyncOptions, max_bytes: int
) -> bytes | Verdict:
    """The answer once written; a failed job for a failure or the deadline; else continue the job."""
    waited = 0.0
    while True:
        answer = _read(s3, pending.output, max_bytes)
        if answer is not None:
            if len(answer) > max_bytes:
                return Verdict(False, f"{endpoint}: the response is larger than {max_bytes} bytes")
            return answer
        failure = _read(s3, pending.failure, 2000) if pending.failure else None
        if failure is not None:
            text = failure.decode("utf-8", "replace").strip()[:2000]
            return Verdict(False, f"{endpoint}: the asynchronous request failed: {text}")
        if options.clock() >= pending.deadline:
            return Verdict(
                False, f"{endpoint}: no answer within {options.timeout_seconds} s at {pending.output}"
            )
        if waited >= options.wait_per_call_seconds:
            return Verdict(True, f"{endpoint}: still waiting for the answer", continuation=pending.token())
        options.sleep(options.poll_seconds)
        waited += options.poll_seconds
