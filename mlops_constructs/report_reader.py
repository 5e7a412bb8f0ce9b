"""ReportReader: a read-only role in a stage account for the people who read drift and quality reports."""

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import PhysicalName, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.stage_data import StageData
from mlops_contract.pipeline import endpoint_name

REPORT_PREFIXES = ("drift/*", "quality/*")


class ReportReader(Construct):
    """Trusted by the configured tooling roles only; reads reports and endpoint states, writes nothing."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: StageData,
        readers: Sequence[str],
        stages: Sequence[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.CompositePrincipal(*(iam.ArnPrincipal(arn) for arn in readers)),
            role_name=PhysicalName.GENERATE_IF_NEEDED,
            description="Read-only: drift and quality reports and endpoint states of this stage account",
        )
        self._read_reports(data)
        endpoints = [endpoint_name("*", stage) for stage in stages]
        arn = Stack.of(self).format_arn
        resources = [arn(service="sagemaker", resource="endpoint", resource_name=name) for name in endpoints]
        self._allow(["sagemaker:DescribeEndpoint"], resources)
        reasons = {
            iam5_resource(data.reports_bucket, f"/{p}"): "Every endpoint's reports." for p in REPORT_PREFIXES
        }
        reasons |= {
            iam5_arn("sagemaker", f"endpoint/{name}"): "This stage's endpoints." for name in endpoints
        }
        reasons |= in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role.")
        acknowledge(self.role.node.find_child("DefaultPolicy"), reasons)

    def _read_reports(self, data: StageData) -> None:
        """Reports under their prefixes, decrypted through S3 only."""
        reports = data.reports_bucket
        self._allow(["s3:GetObject"], [reports.arn_for_objects(prefix) for prefix in REPORT_PREFIXES])
        listing = {"StringLike": {"s3:prefix": list(REPORT_PREFIXES)}}
        self._allow(["s3:ListBucket"], [reports.bucket_arn], listing)
        via_s3 = {"StringEquals": {"kms:ViaService": f"s3.{Stack.of(self).region}.amazonaws.com"}}
        self._allow(["kms:Decrypt"], [data.encryption_key.key_arn], via_s3)

    def _allow(
        self, actions: list[str], resources: list[str], conditions: Mapping[str, Any] | None = None
    ) -> None:
        self.role.add_to_policy(
            iam.PolicyStatement(actions=actions, resources=resources, conditions=conditions)
        )
