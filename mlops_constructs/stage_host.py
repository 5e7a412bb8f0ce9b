"""StageHost: where a stage's endpoints run, as the tooling pipelines see it when the stage is remote."""

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from mlops_constructs.stage_roles import StageRoles


@dataclass(frozen=True)
class StageHost:
    """A stage deployed into another account or region: its roles, its smoke test, and the blueprint
    parameters its target stack fixes (capture bucket, key alias, checks, schedule group, topic)."""

    account: str
    region: str
    roles: StageRoles
    smoke_test: lambda_.IFunction
    parameters: Mapping[str, str]
    # Who in the stage account reads tooling objects, and under which key patterns (bucket policies).
    registry_readers: tuple[tuple[iam.IRole, tuple[str, ...]], ...]
    artifact_readers: tuple[tuple[iam.IRole, tuple[str, ...]], ...]
    forwarding_role: iam.IRole
    # In a region other than the tooling region: the function that copies the stage's artifact there.
    artifact_copy: lambda_.IFunction | None = None
