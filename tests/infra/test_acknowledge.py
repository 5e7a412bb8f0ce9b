"""Acknowledgement ids are written in each stack's own terms: literal account, region where known."""

import cdk_nag
from aws_cdk import App, Aspects, Environment, Stack
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from mlops_constructs.acknowledge import acknowledge, iam5_arn
from stacks.orchestrator_app import feature_flags

RULE = iam5_arn("sagemaker", "model-package/*")


def acknowledged_ids(stack: Stack) -> list[str]:
    buckets = Template.from_stack(stack).find_resources("AWS::S3::Bucket").values()
    return sorted(
        {rule["id"] for bucket in buckets for rule in bucket["Metadata"]["cdk_nag"]["rules_to_suppress"]}
    )


def test_each_stack_renders_the_placeholders_it_knows():
    app = App(context=feature_flags())
    Aspects.of(app).add(cdk_nag.WriteNagSuppressionsToCloudFormationAspect())
    east = Stack(app, "East", env=Environment(account="111111111111", region="us-east-1"))
    west = Stack(app, "West", env=Environment(account="222222222222", region="us-west-2"))
    agnostic = Stack(app, "Agnostic")

    for stack in (east, west, agnostic, east):  # East twice: a stack's second acknowledgement as its first
        acknowledge(s3.Bucket(stack, f"Bucket{len(stack.node.children)}"), {RULE: "a reason"})

    assert acknowledged_ids(east) == [
        "AwsSolutions-IAM5[Resource::arn:aws:sagemaker:us-east-1:111111111111:model-package/*]"
    ]
    assert acknowledged_ids(west) == [
        "AwsSolutions-IAM5[Resource::arn:aws:sagemaker:us-west-2:222222222222:model-package/*]"
    ]
    assert acknowledged_ids(agnostic) == [RULE]
    assert "<AWS::Region>" in RULE  # the agnostic stack really kept a placeholder
