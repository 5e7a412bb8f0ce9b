"""PipelineIdentityStack: the deployment pipelines' service role, alone, for multi-account deployments.

IAM refuses a trust or resource policy that names a role that does not exist yet. The stage accounts' deploy
roles trust this role, and the tooling stack's bucket, key and bus policies name the stage roles; so this
stack is deployed first, then the stage target stacks, then the tooling stack (docs/multi-account.md).
"""

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct


class PipelineIdentityStack(Stack):
    """One role, trusted by every stage account's deploy role; its permissions come with the tooling stack."""

    def __init__(self, scope: Construct, construct_id: str, *, role_name: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # The CodePipeline service-role documentation shows a plain service principal (no source conditions).
        self.pipeline_role = iam.Role(
            self,
            "PipelineRole",
            assumed_by=iam.ServicePrincipal("codepipeline.amazonaws.com"),
            role_name=role_name,  # the stage accounts' deploy roles, the tooling stack and preflight name it
            description="Runs the deployment pipelines; the only principal the stage deploy roles trust",
        )
