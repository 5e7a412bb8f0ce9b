"""TrainingRunFunction: the steps every training pipeline shares (prepare, evaluate, publish, fail)."""

from aws_cdk import ArnFormat, Duration, Stack
from constructs import Construct

from lambdas.training_run import settings
from mlops_constructs.acknowledge import iam5_arn, iam5_resource
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import OrchestratorFunction
from mlops_constructs.training_roles import job_name_pattern, object_findings, run_reads, s3_reads
from mlops_training.spec import TrainingSpec

_TRAINING = "training/*"
_MODELS = "models/*"
_PACKAGES = (
    "lambdas/register",
    "mlops_training",
    "mlops_manifest",
    "mlops_drift",
    "mlops_contract",
)


class TrainingRunFunction(Construct):
    """One function for every spec; each state machine passes it the spec that was validated at synthesis."""

    def __init__(
        self, scope: Construct, construct_id: str, *, core: OrchestratorCore, specs: tuple[TrainingSpec, ...]
    ) -> None:
        super().__init__(scope, construct_id)
        registry = core.registry
        self.steps = OrchestratorFunction(
            self,
            "Steps",
            source="training_run",
            packages=_PACKAGES,
            description="Training pipeline steps: prepare, evaluate, publish a run (or record its failure)",
            platform=core.platform,
            memory_size=1769,
            timeout=Duration.minutes(15),
            environment={
                settings.ENV_REPORTS_BUCKET: registry.reports_bucket.bucket_name,
                settings.ENV_REGISTRY_BUCKET: registry.registry_bucket.bucket_name,
            },
        )
        self.function = self.steps.function
        self._grant(core)
        self._grant_specs(specs)

    def _grant(self, core: OrchestratorCore) -> None:
        """Run folders and histories (reports bucket) and new versions under models/ (registry bucket)."""
        steps, reports, registry = self.steps, core.registry.reports_bucket, core.registry.registry_bucket
        steps.allow(["s3:GetObject", "s3:PutObject"], [reports.arn_for_objects(_TRAINING)])
        steps.allow(["s3:ListBucket"], [reports.bucket_arn], {"StringLike": {"s3:prefix": [_TRAINING]}})
        # Publishing checks a version is new (HeadObject needs GetObject), then writes it; it never deletes.
        steps.allow(
            ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], [registry.arn_for_objects(_MODELS)]
        )
        core.registry.encryption_key.grant(self.function, "kms:Decrypt", "kms:GenerateDataKey")
        steps.acknowledge_policy(
            {
                iam5_resource(
                    reports, f"/{_TRAINING}"
                ): "Run folders and run histories of the training pipelines.",
                iam5_resource(registry, f"/{_MODELS}"): "Publishes new model versions as an upload would.",
            }
        )

    def _grant_specs(self, specs: tuple[TrainingSpec, ...]) -> None:
        """Each spec's channels, code and held-out data (read), and its training jobs' metrics (describe)."""
        findings: dict[str, str] = {}
        for spec in specs:
            objects, lists = s3_reads(self, run_reads(spec))
            self.steps.allow(["s3:GetObject"], objects)
            for statement in lists:
                self.steps.role.add_to_policy(statement)
            pattern = f"training-job/{job_name_pattern(spec)}"
            jobs = Stack.of(self).format_arn(
                service="sagemaker", resource=pattern, arn_format=ArnFormat.NO_RESOURCE_NAME
            )
            self.steps.allow(["sagemaker:DescribeTrainingJob"], [jobs])
            findings[iam5_arn("sagemaker", pattern)] = f"The training jobs of {spec.model_name}'s runs."
            reason = f"Data, code and held-out data of {spec.model_name} (its training spec)."
            findings |= object_findings(run_reads(spec), reason)
        self.steps.acknowledge_policy(findings)
