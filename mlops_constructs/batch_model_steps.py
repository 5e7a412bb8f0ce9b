"""States of the batch workflow that give the transform job its model, always from a registered package.

An execution names `modelPackageArn` (a model package version from the registry). The workflow first reads
the package and refuses one that was rejected, that has more than one container, or whose artifact is not a
registered (sealed, content-addressed) artifact of the registry bucket; then it creates a network-isolated
SageMaker model from it, named after the transform job, and deletes it when the job ends, whatever the
outcome. An existing SageMaker model cannot be named instead: that would run a model that never went through
registration. The transform job reads the model's name from `$.model.modelName`.
"""

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from mlops_contract.registry_layout import ARTIFACTS_PREFIX

JsonPath = sfn.JsonPath
MODEL_NAME_PATH = "$.model.modelName"
_CREATED = "$.createdModel"
_PACKAGE = "$.package"


def _refusal(scope: Construct, construct_id: str, cause: str) -> sfn.Fail:
    return sfn.Fail(scope, construct_id, error="UnregisteredPackage", cause=cause)


def _checked_package(
    scope: Construct, registry_bucket: str, then: sfn.IChainable, failed: sfn.IChainable
) -> sfn.Chain:
    """Read the package; on to `then` only for one container holding a registered artifact, not rejected."""
    packages = Stack.of(scope).format_arn(service="sagemaker", resource="model-package", resource_name="*")
    describe = tasks.CallAwsService(
        scope,
        "DescribePackage",
        service="sagemaker",
        action="describeModelPackage",
        parameters={"ModelPackageName": JsonPath.string_at("$.modelPackageArn")},
        iam_resources=[packages],
        result_selector={
            "status.$": "$.ModelApprovalStatus",
            "containers.$": "$.InferenceSpecification.Containers",
        },
        result_path=_PACKAGE,
    )
    describe.add_catch(failed, errors=[sfn.Errors.ALL], result_path="$.error")
    sealed = f"s3://{registry_bucket}/{ARTIFACTS_PREFIX}*"
    check = (
        sfn.Choice(scope, "CheckPackage")
        .when(
            sfn.Condition.string_equals(f"{_PACKAGE}.status", "Rejected"),
            _refusal(scope, "PackageRejected", "The model package was rejected in the model registry"),
        )
        .when(
            sfn.Condition.is_present(f"{_PACKAGE}.containers[1]"),
            _refusal(scope, "PackageNotSingle", "The model package has more than one container"),
        )
        .when(
            sfn.Condition.not_(
                sfn.Condition.string_matches(f"{_PACKAGE}.containers[0].ModelDataUrl", sealed)
            ),
            _refusal(scope, "PackageNotSealed", "The model package's artifact is not a registered artifact"),
        )
        .otherwise(then)
    )
    return describe.next(check)


def choose_model(
    scope: Construct,
    role: iam.IRole,
    transform: sfn.IChainable,
    failed: sfn.IChainable,
    *,
    registry_bucket: str,
) -> sfn.Choice:
    """The first state: check the package, create the model from it, then `transform`."""
    create = tasks.SageMakerCreateModel(
        scope,
        "CreateModel",
        model_name=JsonPath.string_at("$.transformJobName"),
        primary_container=tasks.ContainerDefinition(
            model_package_name=JsonPath.string_at("$.modelPackageArn")
        ),
        role=role,
        enable_network_isolation=True,
        result_path=_CREATED,
    )
    create.add_catch(failed, errors=[sfn.Errors.ALL], result_path="$.error")
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
            _checked_package(scope, registry_bucket, create.next(created).next(transform), failed),
        )
        .otherwise(invalid)
    )


def delete_created_model(scope: Construct, construct_id: str, then: sfn.IChainable) -> sfn.Choice:
    """Delete the model the workflow created (none when it failed before creating one), then `then`."""
    model_arns = Stack.of(scope).format_arn(
        service="sagemaker", resource="model", resource_name="*", arn_format=ArnFormat.SLASH_RESOURCE_NAME
    )
    delete = tasks.CallAwsService(
        scope,
        f"{construct_id}Delete",
        service="sagemaker",
        action="deleteModel",
        parameters={"ModelName": JsonPath.string_at("$.transformJobName")},
        iam_resources=[model_arns],
        result_path=JsonPath.DISCARD,
    )
    delete.add_retry(errors=["SageMaker.AmazonSageMakerException"], max_attempts=3)
    # A model left behind costs nothing and is named after its job: the outcome is still reported.
    delete.add_catch(then, errors=[sfn.Errors.ALL], result_path="$.cleanupError")
    return (
        sfn.Choice(scope, construct_id)
        .when(sfn.Condition.is_present(_CREATED), delete.next(then))
        .otherwise(then)
    )
