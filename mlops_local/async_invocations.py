"""InvokeEndpointAsync on the emulator: the request read from S3, the model's answer (or error) written back.

SageMaker queues the request and answers 202 at once with where the result will appear; here the model
runs before the 202 is sent, so the result is already there when the caller first looks. The request is
captured like any other invocation.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.s3_uri import split_s3_uri
from mlops_local.endpoint_emulator import Response, validation_error

_HEADER = "x-amzn-sagemaker-"  # request headers are looked up lower-cased
Invoke = Callable[[str, bytes, str | None, str | None, str | None], Response]


def invoke_async(
    invoke: Invoke, s3: Any, name: str, output_path: str | None, headers: Mapping[str, str]
) -> Response:
    """Answer one InvokeEndpointAsync call of endpoint `name` (asynchronous when output_path is set).

    `headers` are the request's, with lower-cased names.
    """
    if output_path is None:
        return validation_error(f"Endpoint {name} is not an asynchronous inference endpoint.")
    location = headers.get(f"{_HEADER}inputlocation")
    try:
        bucket, key = split_s3_uri(location or "")
    except ValueError:
        return validation_error("InputLocation must be an s3:// URI.")
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        return validation_error(f"Could not read {location}: {error.response['Error']['Code']}.")
    inference_id = headers.get(f"{_HEADER}inference-id") or str(uuid.uuid4())
    content_type, accept = headers.get(f"{_HEADER}content-type"), headers.get(f"{_HEADER}accept")
    answer = invoke(name, body, content_type, accept, inference_id)
    base = f"{output_path.rstrip('/')}/{uuid.uuid4()}"
    output, failure = f"{base}.out", f"{base}-error.out"
    written = output if answer.status == 200 else failure
    bucket, key = split_s3_uri(written)
    s3.put_object(Bucket=bucket, Key=key, Body=answer.body)
    headers_out = {
        "X-Amzn-SageMaker-OutputLocation": output,
        "X-Amzn-SageMaker-FailureLocation": failure,
        "Content-Type": "application/json",
    }
    return Response(202, headers_out, json.dumps({"InferenceId": inference_id}).encode())
