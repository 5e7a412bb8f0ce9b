"""A pipeline's CloudFormation action, locally: the endpoint stack in moto, its endpoint in the emulator."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

from lambdas.common.s3_uri import split_s3_uri
from mlops_local.blueprint import DeployedEndpoint, describe
from mlops_local.data_capture import CaptureConfig
from mlops_local.moto_server import LocalAws
from mlops_local.stack_resources import Clients

_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
_DONE = {"CREATE_COMPLETE", "UPDATE_COMPLETE"}


def _exists(cloudformation: Any, stack: str) -> bool:
    """True when the stack exists (and was not deleted)."""
    try:
        status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except cloudformation.exceptions.ClientError:
        return False
    return bool(status != "DELETE_COMPLETE")


def _apply(cloudformation: Any, stack: str, template: str, parameters: dict[str, str]) -> None:
    """Create the stack, or update it when it exists; return its description."""
    arguments = {
        "StackName": stack,
        "TemplateBody": template,
        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        "Capabilities": _CAPABILITIES,
    }
    try:
        if _exists(cloudformation, stack):
            cloudformation.update_stack(**arguments)
        else:
            cloudformation.create_stack(**arguments)
    except cloudformation.exceptions.ClientError as error:
        raise RuntimeError(f"CloudFormation refused {stack}: {error.response['Error']['Message']}") from error
    status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    if status not in _DONE:
        raise RuntimeError(f"stack {stack} ended in {status}")


def _name_endpoint(aws: Clients, stack: str, name: str) -> None:
    """Give moto's endpoint the template's EndpointName (moto's CloudFormation generates one instead).

    The generated endpoint stays; one under the real name, on the same endpoint config, is (re)created, so
    DescribeEndpoint answers for `<model>-<stage>` as on AWS (the CLI's status reads it).
    """
    resources = aws.client("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    generated = [
        r["PhysicalResourceId"] for r in resources if r.get("ResourceType") == "AWS::SageMaker::Endpoint"
    ]
    if not generated or generated[0] == name:
        return
    sagemaker = aws.client("sagemaker")
    config = sagemaker.describe_endpoint(EndpointName=generated[0].rsplit("/", 1)[-1])["EndpointConfigName"]
    with contextlib.suppress(sagemaker.exceptions.ClientError):
        sagemaker.delete_endpoint(EndpointName=name)  # a redeploy: moto cannot update endpoints
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config)


def model_environment(aws: Clients, stack: str) -> dict[str, str]:
    """The container variables of the stack's SageMaker model, as CloudFormation created it (moto keeps
    what the template's conditions left in, as CloudFormation does)."""
    resources = aws.client("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    models = [r["PhysicalResourceId"] for r in resources if r.get("ResourceType") == "AWS::SageMaker::Model"]
    (model,) = models
    described = aws.client("sagemaker").describe_model(ModelName=model.rsplit("/", 1)[-1])
    return dict(described["PrimaryContainer"].get("Environment") or {})


def capture_config(parameters: dict[str, str]) -> CaptureConfig | None:
    """The endpoint's data capture as the blueprint's parameter values (defaults included) configure it."""
    if parameters["DataCaptureEnabled"] != "true":
        return None
    return CaptureConfig(
        destination_s3_uri=parameters["DataCaptureS3Uri"],
        sampling_percent=int(float(parameters["CaptureSamplingPercent"])),
        csv_content_types=tuple(parameters["CaptureCsvContentTypes"].split(",")),
        json_content_types=tuple(parameters["CaptureJsonContentTypes"].split(",")),
    )


def _announce(clients: Clients, stack: str) -> None:
    """CloudFormation's status-change event on the deploying account's default bus, as AWS sends it (a stage
    account forwards it to the tooling bus)."""
    described = clients.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    detail = {
        "stack-id": described["StackId"],
        "status-details": {"status": described["StackStatus"], "status-reason": ""},
    }
    entry = {
        "Source": "aws.cloudformation",
        "DetailType": "CloudFormation Stack Status Change",
        "Resources": [described["StackId"]],
        "Detail": json.dumps(detail),
    }
    clients.client("events").put_events(Entries=[entry])


def deploy_stack(
    aws: LocalAws, stack: str, template: str, parameters: dict[str, str], *, role: str | None = None
) -> DeployedEndpoint:
    """Deploy the endpoint stack and serve its model from the emulator; with `role` (a pipeline action's
    role in a stage account) the stack, the endpoint and its captures are that account's."""
    clients: Clients = aws if role is None else aws.sessions.assume(role)
    _apply(clients.client("cloudformation"), stack, template, parameters)
    _announce(clients, stack)
    deployed = describe(stack, json.loads(template), parameters)
    endpoint, values = deployed.endpoint_name, deployed.parameters  # values: overrides over template defaults
    _name_endpoint(clients, stack, endpoint)
    if aws.emulator is None:
        raise RuntimeError("the endpoint emulator is not running")
    bucket, key = split_s3_uri(values["ModelDataUrl"])
    with tempfile.TemporaryDirectory(prefix="mlops-local-") as folder:
        artifact = Path(folder) / "model.tar.gz"
        clients.client("s3").download_file(bucket, key, str(artifact))
        try:
            aws.emulator.add_endpoint(
                endpoint,
                artifact,
                capture=capture_config(values) if "DataCaptureEnabled" in values else None,
                async_output=values.get("AsyncOutputS3Uri"),
                s3=None if role is None else clients.client("s3"),
                environment=model_environment(clients, stack),
            )
        except Exception as error:  # a model the emulator cannot load fails the deploy, like a bad container
            raise RuntimeError(f"endpoint {endpoint} could not load the model: {error}") from error
    return deployed
