"""States of the batch workflow that give the transform job its model, always from a registered package.

An execution names `modelPackageArn` (a model package version from the registry) and `inputPrefix`. The
prefix is checked first (mlops_constructs/batch_input_check.py); then the resolve function checks the
package as a pipeline stage's Resolve step does (lambdas/resolve_package/batch.py): the package must be the
one registration recorded for its version label, name the recorded image and sealed artifact, not be
rejected, and the sealed artifact must still carry its digest. The workflow then creates a network-isolated
SageMaker model from the check's answer (the recorded image, sealed artifact and container environment, so
a model package in another account needs no sharing), named after the transform job, and deletes it when
the job ends, whatever the outcome. Neither an existing SageMaker model nor an image or artifact can be
named in the execution input: that would run a model that never went through registration.
"""

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from mlops_constructs.batch_input_check import check_input_prefix

JsonPath = sfn.JsonPath
MODEL_NAME_PATH = "$.model.modelName"
_CREATED = "$.createdModel"
_PACKAGE = "$.package"
# What the check answers (lambdas/resolve_package/batch.py), kept under $.package.
PACKAGE_MODEL_NAME = f"{_PACKAGE}.modelName"
_ANSWER = {
    "imageUri.$": "$.Payload.ImageUri",
    "modelDataUrl.$": "$.Payload.ModelDataUrl",
    "environment.$": "$.Payload.Environment",
    "modelName.$": "$.Payload.ModelName",
}


def _checked_package(
    scope: Construct, package_check: lambda_.IFunction, then: sfn.IChainable, failed: sfn.IChainable
) -> sfn.Chain:
    """The resolve function's check that the package is the registered one; on to `then` only if it is."""
    check = tasks.LambdaInvoke(
        scope,
        "CheckPackage",
        lambda_function=package_check,
        payload=sfn.TaskInput.from_object({"modelPackageArn": JsonPath.string_at("$.modelPackageArn")}),
        result_selector=_ANSWER,
        result_path=_PACKAGE,
    )
    refused = sfn.Fail(
        scope,
        "UnregisteredPackage",
        error="UnregisteredPackage",
        cause="The model package is not a registered model version as registration recorded it; the "
        "execution's history holds the check's reasons",
    )
    check.add_catch(refused, errors=["UnregisteredPackageError"], result_path="$.error")
    check.add_catch(failed, errors=[sfn.Errors.ALL], result_path="$.error")
    return check.next(then)


def choose_model(
    scope: Construct,
    role: iam.IRole,
    transform: sfn.IChainable,
    failed: sfn.IChainable,
    *,
    package_check: lambda_.IFunction,
) -> sfn.Choice:
    """The first state: check the input prefix and the package, create the model from it, then `transform`."""
    create = _create_model(scope, role, failed)
    created = sfn.Pass(
        scope, "UseCreatedModel", parameters={"modelName.$": "$.transformJobName"}, result_path="$.model"
    )
    invalid = sfn.Fail(
        scope,
        "NoModel",
        error="InvalidInput",
        cause="The execution input names no modelPackageArn (a registered model package version); batch "
        "transforms run registered models only, never an existing SageMaker model by name",
    )
    return (
        sfn.Choice(scope, "ChooseModel")
        .when(
            sfn.Condition.is_present("$.modelPackageArn"),
            check_input_prefix(
                scope, _checked_package(scope, package_check, create.next(created).next(transform), failed)
            ),
        )
        .otherwise(invalid)
    )


def _create_model(scope: Construct, role: iam.IRole, failed: sfn.IChainable) -> tasks.SageMakerCreateModel:
    """A network-isolated model named after the job, from the image, artifact and environment the check
    answered (never from the execution input)."""
    create = tasks.SageMakerCreateModel(
        scope,
        "CreateModel",
        model_name=JsonPath.string_at("$.transformJobName"),
        primary_container=tasks.ContainerDefinition(
            image=tasks.DockerImage.from_json_expression(JsonPath.string_at(f"{_PACKAGE}.imageUri")),
            model_s3_location=tasks.S3Location.from_json_expression(f"{_PACKAGE}.modelDataUrl"),
            environment_variables=sfn.TaskInput.from_json_path_at(f"{_PACKAGE}.environment"),
        ),
        role=role,
        enable_network_isolation=True,
        result_path=_CREATED,
    )
    create.add_catch(failed, errors=[sfn.Errors.ALL], result_path="$.error")
    return create


def delete_created_model(
    scope: Construct,
    construct_id: str,
    then: sfn.IChainable,
    *,
    model_name_path: str = "$.transformJobName",
    created_path: str = _CREATED,
    task_suffix: str = "Delete",
) -> sfn.Choice:
    """Delete the model a workflow created (none when it failed before creating one), then `then`.

    A model left behind costs nothing and is named after its job, so a failed deletion is reported in
    `$.cleanupError` and the workflow's outcome still stands.
    """
    delete = _delete_task(scope, f"{construct_id}{task_suffix}", model_name_path)
    delete.add_catch(then, errors=[sfn.Errors.ALL], result_path="$.cleanupError")
    return (
        sfn.Choice(scope, construct_id)
        .when(sfn.Condition.is_present(created_path), delete.next(then))
        .otherwise(then)
    )


def _delete_task(scope: Construct, construct_id: str, model_name_path: str) -> tasks.CallAwsService:
    """DeleteModel on the model named at `model_name_path`, retried on SageMaker's transient errors."""
    model_arns = Stack.of(scope).format_arn(
        service="sagemaker", resource="model", resource_name="*", arn_format=ArnFormat.SLASH_RESOURCE_NAME
    )
    delete = tasks.CallAwsService(
        scope,
        construct_id,
        service="sagemaker",
        action="deleteModel",
        parameters={"ModelName": JsonPath.string_at(model_name_path)},
        iam_resources=[model_arns],
        result_path=JsonPath.DISCARD,
    )
    delete.add_retry(errors=["SageMaker.AmazonSageMakerException"], max_attempts=3)
    return delete
