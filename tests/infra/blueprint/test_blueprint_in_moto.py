"""The real-time blueprint deploys into moto's CloudFormation and creates the model, config and endpoint.

moto skips the alarm and autoscaling resource types (with a warning), names resources from logical IDs
(ignoring EndpointName) and drops EnableNetworkIsolation; those are covered by the template assertions.
"""

from __future__ import annotations

import warnings

import boto3
import pytest
from moto import mock_aws

from mlops_manifest.inference import InferenceType
from tests.moto_policies import policy_document

REGION = "us-east-1"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PARAMETERS = {
    "ModelName": "churn-model",
    "ModelVersion": "v3",
    "StageName": "staging",
    "ImageUri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
    "ModelDataUrl": f"s3://registry-bucket/artifacts/sha256/{'ab' * 32}/model.tar.gz",
    "ModelRoleBoundaryArn": "arn:aws:iam::123456789012:policy/staging-model-role-boundary",
    "KmsKeyArn": KEY,
    "NotificationTopicArn": "arn:aws:sns:us-east-1:123456789012:mlops-notifications",
    "DataCaptureS3Uri": "s3://capture-bucket/datacapture",
    "CaptureSamplingPercent": "35",
    "SubnetIds": "",
    "SecurityGroupIds": "",
    "InstanceType": "ml.c5.xlarge",
    "InstanceCount": "2",
    "DeploymentStrategy": "CANARY",
    "TrafficShiftPercent": "25",
    "BakeSeconds": "300",
    "AutoscalingEnabled": "true",
    "MinCapacity": "2",
    "MaxCapacity": "4",
    "BaselineBucketName": "registry-bucket",
    "BaselineProfileKey": "baselines/churn-model/v3/profile.json",
    "DriftCheckFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:drift-check",
    "DriftSchedulerRoleArn": "arn:aws:iam::123456789012:role/drift-scheduler",
    "ScheduleGroupName": "mlops-staging-schedules",
    "QualityCheckFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:model-quality",
    # Two container variables a package carries; the entry point and the others are left unset ("none").
    "ContainerInferenceOutput": "predicted_label, probability",
    "ContainerModelName": "WeightedEnsemble_L3",
}


@pytest.fixture(scope="module")
def deployed(blueprints):
    body = blueprints.path(InferenceType.REALTIME).read_text()
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # moto: "No Moto CloudFormation support for ..."
        cloudformation = boto3.client("cloudformation", region_name=REGION)
        cloudformation.create_stack(
            StackName="churn-model-staging",
            TemplateBody=body,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in PARAMETERS.items()],
        )
        stack = cloudformation.describe_stacks(StackName="churn-model-staging")["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        sagemaker = boto3.client("sagemaker", region_name=REGION)
        endpoint = sagemaker.describe_endpoint(EndpointName=outputs["EndpointName"])
        config = sagemaker.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
        model = sagemaker.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
        iam = boto3.client("iam", region_name=REGION)
        role = iam.get_role(RoleName=model["ExecutionRoleArn"].rsplit("/", 1)[-1])["Role"]
        (policy_name,) = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
        policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=policy_name)["PolicyDocument"]
        yield {
            "stack": stack,
            "outputs": outputs,
            "endpoint": endpoint,
            "config": config,
            "model": model,
            "role": role,
            "policy": policy_document(policy),
        }


def test_stack_completes(deployed):
    assert deployed["stack"]["StackStatus"] == "CREATE_COMPLETE"


def test_model_runs_the_given_image_and_artifact_with_its_own_role(deployed):
    model, role = deployed["model"], deployed["role"]
    assert model["PrimaryContainer"]["Image"] == PARAMETERS["ImageUri"]
    assert model["PrimaryContainer"]["ModelDataUrl"] == PARAMETERS["ModelDataUrl"]
    assert model["ExecutionRoleArn"] == role["Arn"]


def test_the_model_gets_exactly_the_container_variables_that_are_set(deployed):
    assert deployed["model"]["PrimaryContainer"]["Environment"] == {
        "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label, probability",
        "MODEL_NAME": "WeightedEnsemble_L3",
    }


def test_the_models_role_sits_under_the_stage_path_with_the_stage_boundary(deployed):
    role = deployed["role"]
    assert role["Path"] == "/mlops/staging/"
    assert role["Arn"].startswith("arn:aws:iam::123456789012:role/mlops/staging/")
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == PARAMETERS["ModelRoleBoundaryArn"]


def test_the_models_role_reads_exactly_its_artifact(deployed):
    reads = [
        resource
        for statement in deployed["policy"]["Statement"]
        if "s3:GetObject" in statement["Action"]
        for resource in (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
    ]
    assert reads == [f"arn:aws:s3:::registry-bucket/artifacts/sha256/{'ab' * 32}/model.tar.gz"]


def test_endpoint_config_has_the_instances_and_the_volume_key(deployed):
    config = deployed["config"]
    (variant,) = config["ProductionVariants"]
    assert (variant["VariantName"], variant["InstanceType"], variant["InitialInstanceCount"]) == (
        "AllTraffic",
        "ml.c5.xlarge",
        2,
    )
    assert config["KmsKeyId"] == KEY


def test_endpoint_config_captures_encrypted_data_at_the_given_rate(deployed):
    capture = deployed["config"]["DataCaptureConfig"]
    assert capture["EnableCapture"] is True
    assert capture["DestinationS3Uri"] == "s3://capture-bucket/datacapture"
    assert capture["KmsKeyId"] == KEY
    assert capture["InitialSamplingPercentage"] == 35
    assert capture["CaptureOptions"] == [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]


def test_endpoint_serves_the_config_and_outputs_point_at_it(deployed):
    endpoint, outputs = deployed["endpoint"], deployed["outputs"]
    assert endpoint["EndpointStatus"] == "InService"
    assert endpoint["EndpointConfigName"] == outputs["EndpointConfigName"]
    assert endpoint["EndpointArn"] == outputs["EndpointArn"]
    assert outputs["VariantName"] == "AllTraffic"
