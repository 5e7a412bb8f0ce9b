"""ImageBuilder: build contexts uploaded to the registry bucket become scanned images in a private ECR repo.

A context arriving at `images/<name>/<tag>/context.tar.gz` (uploaded by hand or by the Git merge pipeline)
starts a privileged CodeBuild build (it runs docker) that pushes `<name>-<tag>` to the repository, waits for
the scan on push, and deletes the image and fails when findings at or above the configured severity exist.
Every finished build is notified on the project's topic.
"""

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from constructs import Construct

from mlops_config.delivery import ImageBuilderSettings
from mlops_constructs.acknowledge import acknowledge, iam5_resource, in_regulatory_packs, role_policy
from mlops_constructs.build_project import BuildProject
from mlops_constructs.model_registry import ModelRegistry
from mlops_contract.image_contexts import CONTEXT_KEY_PATTERN, CONTEXT_KEY_WILDCARD, IMAGES_PREFIX

CONTEXT_KEY_VARIABLE = "MLOPS_CONTEXT_KEY"
_SCAN_ACTIONS = ["ecr:DescribeImageScanFindings", "ecr:DescribeImages", "ecr:BatchDeleteImage"]


class ImageBuilder(Construct):
    """The ECR repository (KMS, scan on push, immutable tags, lifecycle) and the build that fills it."""

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: ImageBuilderSettings, registry: ModelRegistry
    ) -> None:
        super().__init__(scope, construct_id)
        self.repository = self._repository(settings, registry)
        self.build = self._project(settings, registry)
        self._grant(registry)
        self.trigger = self._trigger(registry)
        self.notifications = self.build.notify(registry.notifications, "Custom image builder")
        self._acknowledge(registry)

    def _repository(self, settings: ImageBuilderSettings, registry: ModelRegistry) -> ecr.Repository:
        """KMS-encrypted, scanned on push, immutable tags; untagged layers expire, N images are kept."""
        return ecr.Repository(
            self,
            "Repository",
            encryption=ecr.RepositoryEncryption.KMS,
            encryption_key=registry.encryption_key,
            image_scan_on_push=True,
            image_tag_mutability=ecr.TagMutability.IMMUTABLE,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                ecr.LifecycleRule(
                    rule_priority=1,
                    description="Untagged layers of failed or superseded pushes",
                    tag_status=ecr.TagStatus.UNTAGGED,
                    max_image_age=Duration.days(7),
                ),
                ecr.LifecycleRule(
                    rule_priority=2,
                    description=f"Keep the {settings.keep_images} most recent images",
                    tag_status=ecr.TagStatus.ANY,
                    max_image_count=settings.keep_images,
                ),
            ],
        )

    def _project(self, settings: ImageBuilderSettings, registry: ModelRegistry) -> BuildProject:
        """The privileged build, told the repository, the context key pattern and the severity gate."""
        gate = settings.fail_on_severity
        return BuildProject(
            self,
            "Build",
            buildspec="image-build",
            description="Builds images/<name>/<tag>/context.tar.gz into the custom image repository",
            encryption_key=registry.encryption_key,
            environment={
                "MLOPS_REGISTRY_BUCKET": registry.registry_bucket.bucket_name,
                "MLOPS_IMAGE_REPOSITORY_URI": self.repository.repository_uri,
                "MLOPS_IMAGE_REPOSITORY_NAME": self.repository.repository_name,
                "MLOPS_CONTEXT_KEY_PATTERN": CONTEXT_KEY_PATTERN,
                "MLOPS_FAIL_ON_SEVERITY": gate.value,
                "MLOPS_BLOCKING_SEVERITIES": " ".join(severity.value for severity in gate.and_above()),
                CONTEXT_KEY_VARIABLE: "",  # set per build by the trigger
            },
            in_pipeline=False,
            # docker build needs privileged mode; the buildspec is synthesized into the stack and builds
            # only contexts from the registry bucket's images/ prefix.
            privileged=True,
            timeout=Duration.hours(1),
        )

    def _grant(self, registry: ModelRegistry) -> None:
        """Read contexts, push and inspect (and delete refused) images of this repository only."""
        role = self.build.role
        registry.registry_bucket.grant_read(role, f"{IMAGES_PREFIX}*")
        self.repository.grant_pull_push(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=_SCAN_ACTIONS, resources=[self.repository.repository_arn])
        )

    def _trigger(self, registry: ModelRegistry) -> events.Rule:
        """A context arriving in the registry bucket starts a build of it."""
        key = events.EventField.from_path("$.detail.object.key")
        return events.Rule(
            self,
            "ContextUploaded",
            description="A build context arrived under images/: build it",
            event_pattern=events.EventPattern(
                source=["aws.s3"],
                detail_type=["Object Created"],
                detail={
                    "bucket": {"name": [registry.registry_bucket.bucket_name]},
                    "object": {"key": events.Match.wildcard(CONTEXT_KEY_WILDCARD)},
                },
            ),
            targets=[
                targets.CodeBuildProject(
                    self.build.project,
                    event=events.RuleTargetInput.from_object(
                        {
                            "environmentVariablesOverride": [
                                {"name": CONTEXT_KEY_VARIABLE, "value": key, "type": "PLAINTEXT"}
                            ]
                        }
                    ),
                )
            ],
        )

    def _acknowledge(self, registry: ModelRegistry) -> None:
        contexts = "Reads build contexts under the registry bucket's images/ prefix only."
        artifacts = "CodeBuild encrypts the build's artifacts and logs with the data key."
        self.build.acknowledge_policy(
            {
                iam5_resource(registry.registry_bucket, f"/{IMAGES_PREFIX}*"): contexts,
                **{
                    f"AwsSolutions-IAM5[Action::{a}]": contexts
                    for a in ("s3:GetObject*", "s3:GetBucket*", "s3:List*")
                },
                **{
                    f"AwsSolutions-IAM5[Action::{a}]": artifacts
                    for a in ("kms:GenerateDataKey*", "kms:ReEncrypt*")
                },
                "AwsSolutions-IAM5[Resource::*]": "ecr:GetAuthorizationToken has no resource-level scope.",
            }
        )
        events_role = self.build.project.node.find_child("EventsRole")
        reason = (
            "CDK-generated policy of the role EventBridge starts this project's builds with, bound to it."
        )
        acknowledge(role_policy(events_role), in_regulatory_packs("IAMNoInlinePolicy", reason))
