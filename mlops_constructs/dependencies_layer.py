"""DependenciesLayer: pinned third-party packages for the functions, built without Docker for arm64."""

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from mlops_constructs.local_bundling import dependencies_code, parquet_code
from mlops_constructs.orchestrator_function import RUNTIME


class DependenciesLayer(Construct):
    """A Lambda layer of pinned Linux arm64 wheels for the functions' Python runtime."""

    def __init__(self, scope: Construct, construct_id: str, *, code: lambda_.Code, description: str) -> None:
        super().__init__(scope, construct_id)
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=code,
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[lambda_.Architecture.ARM_64],
            description=description,
        )


def shared_dependencies(scope: Construct) -> lambda_.ILayerVersion:
    """Every function's layer: lambdas/requirements.txt."""
    description = "Pinned dependencies of the orchestrator's functions (lambdas/requirements.txt)"
    return DependenciesLayer(scope, "Dependencies", code=dependencies_code(), description=description).layer


def arrow_dependencies(scope: Construct) -> lambda_.ILayerVersion:
    """pyarrow, about 85 MB trimmed: the register function reads Parquet baselines with it, and the drift
    check parses capture CSV with its CSV reader; no other function carries it."""
    description = "pyarrow for Parquet baselines and capture CSV (lambdas/requirements-parquet.txt)"
    return DependenciesLayer(scope, "Arrow", code=parquet_code(), description=description).layer
