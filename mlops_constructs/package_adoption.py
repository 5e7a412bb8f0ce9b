"""PackageAdoption: packages other pipelines register, adopted through the register function like uploads."""

from aws_cdk import ArnFormat, Duration, Stack
from constructs import Construct

from lambdas.package_adoption import settings
from lambdas.package_adoption.patterns import adoption_pattern
from lambdas.package_adoption.settings import REFUSALS_PREFIX
from mlops_config.adoption import AdoptionSettings
from mlops_constructs.acknowledge import iam5_arn, iam5_resource
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import OrchestratorFunction

_MODELS = "models/*"
# Lambda keeps at most 4 KB of environment in all; the groups' serving sections must fit beside the rest.
MAX_GROUPS_JSON = 3000


def _groups(adoption: AdoptionSettings) -> str:
    """The configured groups' targets as the function reads them; refused when they would not fit."""
    targets = {
        g.package_group: settings.Target(
            g.model_name, g.owner, g.serving.model_dump(mode="json", exclude_defaults=True)
        )
        for g in adoption.groups
    }
    groups = settings.groups_json(targets)
    if len(groups) > MAX_GROUPS_JSON:
        raise ValueError(
            f"[adoption] groups take {len(groups)} characters of the function's environment, more than "
            f"{MAX_GROUPS_JSON}: shorten their serving sections or adopt fewer groups per deployment"
        )
    return groups


class PackageAdoption(Construct):
    """A function on SageMaker's package events: copies a completed package's artifact, then its manifest."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        adoption: AdoptionSettings,
        max_artifact_bytes: int,
    ) -> None:
        super().__init__(scope, construct_id)
        registry = core.registry
        self.adopter = OrchestratorFunction(
            self,
            "Function",
            source="package_adoption",
            packages=("mlops_manifest", "mlops_contract"),
            description="Adopts completed model packages of opted-in groups: artifact in, manifest last",
            platform=core.platform,
            memory_size=1024,
            timeout=Duration.minutes(15),
            environment={
                settings.ENV_REGISTRY_BUCKET: registry.registry_bucket.bucket_name,
                settings.ENV_TOPIC_ARN: registry.notifications.topic_arn,
                settings.ENV_GROUPS: _groups(adoption),
                settings.ENV_BY_TAG: "true" if adoption.by_tag else "false",
                settings.ENV_ARTIFACT_BUCKETS: ",".join(adoption.artifact_buckets),
                settings.ENV_MAX_ARTIFACT_BYTES: str(max_artifact_bytes),
            },
        )
        names = None if adoption.by_tag else [g.package_group for g in adoption.groups]
        description = "A model package version completed in a group this registry adopts"
        self.rule = self.adopter.trigger(
            self, "PackageCompleted", pattern=adoption_pattern(names), description=description
        )
        self.adopter.acknowledge_policy(self._grant_sources(adoption) | self._grant_registry(core))

    def _grant_sources(self, adoption: AdoptionSettings) -> dict[str, str]:
        """Describe adopted groups' packages (and group tags, when opted in by tag); read artifact buckets."""
        stack = Stack.of(self)
        groups = ["*"] if adoption.by_tag else [g.package_group for g in adoption.groups]
        packages = [f"model-package/{group}/*" for group in groups]
        self.adopter.allow(
            ["sagemaker:DescribeModelPackage"],
            [
                stack.format_arn(service="sagemaker", resource=p, arn_format=ArnFormat.NO_RESOURCE_NAME)
                for p in packages
            ],
        )
        findings = {
            iam5_arn("sagemaker", p): "Describes the adopted groups' package versions." for p in packages
        }
        if adoption.by_tag:
            group_arns = stack.format_arn(
                service="sagemaker", resource="model-package-group", resource_name="*"
            )
            self.adopter.allow(["sagemaker:DescribeModelPackageGroup", "sagemaker:ListTags"], [group_arns])
            findings[iam5_arn("sagemaker", "model-package-group/*")] = "Reads which groups opt in by tag."
        objects = [f"arn:{stack.partition}:s3:::{bucket}/*" for bucket in adoption.artifact_buckets]
        self.adopter.allow(["s3:GetObject"], objects)
        for bucket in adoption.artifact_buckets:
            findings[f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{bucket}/*]"] = (
                "Reads adopted artifacts only in the buckets [adoption] names."
            )
        return findings

    def _grant_registry(self, core: OrchestratorCore) -> dict[str, str]:
        """Write new versions under models/ and refusal reports, and tell people about refusals."""
        registry = core.registry.registry_bucket
        writes = [registry.arn_for_objects(_MODELS), registry.arn_for_objects(f"{REFUSALS_PREFIX}*")]
        # HeadObject (is the version taken?) needs GetObject; nothing is ever deleted.
        self.adopter.allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], writes)
        core.registry.encryption_key.grant(self.adopter.function, "kms:Decrypt", "kms:GenerateDataKey")
        core.registry.notifications.grant_publish(self.adopter.function)
        return {
            iam5_resource(registry, f"/{_MODELS}"): "Writes adopted versions as an upload would.",
            iam5_resource(registry, f"/{REFUSALS_PREFIX}*"): "Keeps a report of each refused package.",
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Writes encrypted objects and messages.",
        }
