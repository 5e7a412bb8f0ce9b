"""ParquetLayer: pyarrow for the register function alone, which reads Parquet baselines."""

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from mlops_constructs.local_bundling import parquet_code
from mlops_constructs.orchestrator_function import RUNTIME


class ParquetLayer(Construct):
    """A Lambda layer built without Docker from lambdas/requirements-parquet.txt, trimmed for arm64 Python."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        # Separate from DependenciesLayer: pyarrow is ~110 MB even trimmed, and only one function needs it.
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=parquet_code(),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[lambda_.Architecture.ARM_64],
            description="pyarrow for reading Parquet baselines (lambdas/requirements-parquet.txt)",
        )
