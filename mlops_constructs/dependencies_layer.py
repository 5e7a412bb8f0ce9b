"""DependenciesLayer: the pinned runtime dependencies shared by the stack's functions, as one layer."""

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from mlops_constructs.local_bundling import dependencies_code
from mlops_constructs.orchestrator_function import RUNTIME


class DependenciesLayer(Construct):
    """A Lambda layer built without Docker from lambdas/requirements.txt for Linux arm64."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=dependencies_code(),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[lambda_.Architecture.ARM_64],
            description="Pinned dependencies of the orchestrator's functions (lambdas/requirements.txt)",
        )
