"""The deployment pipelines' policies beyond CDK's grants, and the reasons for CDK's grants."""

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_resource, in_regulatory_packs

_ARTIFACT_ACTIONS = ("s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*")


def let_read_executions(
    scope: Construct, name: str, function: lambda_.IFunction, pipeline: codepipeline.Pipeline
) -> None:
    """Finalize and resolve read who approved in this pipeline's executions: a policy of its own, since
    the pipeline invokes the function (in the function's default policy it would be a cycle)."""
    assert function.role is not None
    reads = iam.Policy(
        scope,
        f"{name}ReadsExecutions",
        roles=[function.role],
        statements=[
            iam.PolicyStatement(
                actions=["codepipeline:ListActionExecutions"], resources=[pipeline.pipeline_arn]
            )
        ],
    )
    reason = f"Bound one-to-one to the {name.lower()} function's role; separate to avoid a dependency cycle."
    acknowledge(reads, in_regulatory_packs("IAMNoInlinePolicy", reason))


def grant_reasons(
    scope: Construct, artifact_buckets: Sequence[s3.IBucket], invoked: Sequence[lambda_.IFunction]
) -> dict[str, str]:
    """Why CDK's grants to the pipeline or actions role in `scope` are fine: its artifact stores (one per
    region), the data keys, and (for the actions role) the step functions it invokes."""
    artifacts = (
        "CodePipeline's standard grant on its own artifact bucket (read and write pipeline artifacts)."
    )
    reasons = {f"AwsSolutions-IAM5[Action::{action}]": artifacts for action in _ARTIFACT_ACTIONS}
    for bucket in artifact_buckets:
        if bucket.node.default_child is not None:
            reasons[iam5_resource(bucket, "/*")] = artifacts
        else:  # another region's store, imported by name (PipelineRegionStack)
            name = Stack.of(scope).resolve(bucket.bucket_name)  # its generated name, as a literal here
            reasons[f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{name}/*]"] = artifacts
    for action in ("kms:GenerateDataKey*", "kms:ReEncrypt*"):
        reasons[f"AwsSolutions-IAM5[Action::{action}]"] = "Encrypts pipeline artifacts with the data key."
    if invoked:
        reasons["AwsSolutions-IAM5[Resource::*]"] = (
            "lambda:ListFunctions, which the invoke action needs, has no resource."
        )
        reasons |= {
            iam5_resource(f, ":*"): "Invokes any version of the pipeline's own step function."
            for f in invoked
        }
    reasons.update(
        in_regulatory_packs("IAMNoInlinePolicy", "CDK-generated policy bound one-to-one to this role.")
    )
    return reasons
