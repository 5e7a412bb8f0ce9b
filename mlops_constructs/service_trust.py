"""Service principals with the confused-deputy conditions their service documents, and KMS via-service grants.

A trust condition that a service does not send makes every AssumeRole fail, so conditions are added only
where the service's own documentation shows them (cited next to each). Services whose documentation shows
no condition for the role they assume (Lambda execution roles, the CodePipeline service role, CloudFormation
service roles) keep a plain service principal; their roles are passed only by principals allowed
`iam:PassRole` on them, which the scoped PassRole statements of this project limit.
"""

from collections.abc import Sequence

from aws_cdk import ArnFormat, Aws, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import IConstruct


def sagemaker_principal(scope: IConstruct, resource: str = "*") -> iam.IPrincipal:
    """SageMaker, only on behalf of this account's SageMaker resources in this region.

    https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html shows
    `aws:SourceArn` `arn:<partition>:sagemaker:<region>:<account>:*` for inference (real-time, serverless,
    asynchronous), batch transform and Model Monitor, and `...:processing-job/*` for processing jobs.
    """
    source = Stack.of(scope).format_arn(service="sagemaker", resource=resource)
    return iam.ServicePrincipal("sagemaker.amazonaws.com", conditions={"ArnLike": {"aws:SourceArn": source}})


def scheduler_principal(group_arns: Sequence[str]) -> iam.IPrincipal:
    """EventBridge Scheduler, only for the stages' schedule groups of this account (blueprint schedules).

    https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html:
    `aws:SourceAccount` and an `aws:SourceArn` that names a schedule group, never a schedule.
    """
    return iam.ServicePrincipal(
        "scheduler.amazonaws.com",
        conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID, "aws:SourceArn": list(group_arns)}},
    )


def via_services(scope: IConstruct, services: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """Condition: the KMS request comes from one of these AWS services in this region, never directly."""
    region = Stack.of(scope).region
    return {"StringEquals": {"kms:ViaService": [f"{service}.{region}.amazonaws.com" for service in services]}}


def grant_key_via(role: iam.IRole, key: kms.IKey, services: Sequence[str], *actions: str) -> None:
    """Let `role` use `key` for `actions` only through `services` (e.g. S3 encrypting its objects)."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=list(actions), resources=[key.key_arn], conditions=via_services(role, services)
        )
    )


def grant_sagemaker_logs(
    role: iam.IRole, log_groups: str, *, streams: bool = False, describe: bool = False
) -> None:
    """Let a SageMaker job or endpoint write the log groups it names itself under `/aws/sagemaker/`."""
    logs = Stack.of(role).format_arn(
        service="logs",
        resource="log-group",
        resource_name=log_groups,
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=[*actions, "logs:DescribeLogStreams"] if describe else actions,
            resources=[logs, f"{logs}:*"] if streams else [logs],
        )
    )


def pass_role_statement(role_arn: str, service: str = "sagemaker") -> iam.PolicyStatement:
    """`iam:PassRole` on `role_arn` (a role or a pattern of roles), and only to one AWS service."""
    return iam.PolicyStatement(
        actions=["iam:PassRole"],
        resources=[role_arn],
        conditions={"StringEquals": {"iam:PassedToService": f"{service}.amazonaws.com"}},
    )


def allow_pass_role(role: iam.IRole, role_arn: str, service: str = "sagemaker") -> None:
    """Let `role` pass `role_arn`, and only to one AWS service."""
    role.add_to_principal_policy(pass_role_statement(role_arn, service))
