"""RemoteBatchAccess: the tooling side of a batch workflow that runs in production's own account.

The workflow, its batch role and the data live in production's target stack (StageTargetStack.add_batch).
The tooling account lets exactly those roles in: the workflow's role may invoke the package check, the batch
role may read registered artifacts (through S3 only) and pull the image builder's images; and it tells
people of each run's outcome, which production's bus forwards here.
"""

from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from lambdas.common.events import EVENT_SOURCE
from mlops_constructs.batch_transform_workflow import BatchTransformWorkflow
from mlops_constructs.bucket_reads import open_to_readers
from mlops_constructs.model_role import PULL_ACTIONS
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import event_pattern
from mlops_constructs.sagemaker_role_policy import ARTIFACTS_PREFIX
from mlops_contract.batch_layout import BATCH_DETAIL_TYPES

_FIELD = events.EventField.from_path


class RemoteBatchAccess(Construct):
    """Invoke, read and pull grants naming the remote workflow's roles, and the rule that notifies people."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        workflow: BatchTransformWorkflow,
        batch_role: iam.IRole,
        package_check: lambda_.IFunction,
        repository: ecr.IRepository | None,
        account: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self._let_in(core, workflow, batch_role, package_check, repository)
        self._notify_outcomes(core, account)

    def _let_in(
        self,
        core: OrchestratorCore,
        workflow: BatchTransformWorkflow,
        batch_role: iam.IRole,
        package_check: lambda_.IFunction,
        repository: ecr.IRepository | None,
    ) -> None:
        """The workflow's role may invoke the check; the batch role may read artifacts and pull images."""
        # The function's resource policy names the role (Lambda developer guide, "Granting Lambda function
        # access to other accounts"); Step Functions then invokes it across accounts by its ARN.
        package_check.add_permission(
            "BatchWorkflowChecks",
            principal=iam.ArnPrincipal(workflow.state_machine.role.role_arn),
            action="lambda:InvokeFunction",
        )
        registry = core.registry
        readers = [(batch_role, (f"{ARTIFACTS_PREFIX}*",))]
        open_to_readers(registry.registry_bucket, registry.encryption_key, readers, "BatchReadsRegistered")
        if repository is not None:
            repository.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="BatchTransformPull",
                    principals=[iam.ArnPrincipal(batch_role.role_arn)],
                    actions=list(PULL_ACTIONS),
                )
            )

    def _notify_outcomes(self, core: OrchestratorCore, account: str) -> None:
        """Each run's outcome, forwarded from production's bus, reaches the notification topic."""
        detail = "$.detail"
        message = (
            f"Batch transform {_FIELD(f'{detail}.outcome')}: job {_FIELD(f'{detail}.transformJobName')} "
            f"in account {_FIELD('$.account')} ({_FIELD('$.region')}) at {_FIELD('$.time')}, "
            f"execution {_FIELD(f'{detail}.execution')}"
        )
        events.Rule(
            self,
            "NotifyOutcome",
            event_bus=core.event_bus,
            event_pattern=event_pattern(
                {
                    "source": [EVENT_SOURCE],
                    "detail-type": list(BATCH_DETAIL_TYPES.values()),
                    "account": [account],
                }
            ),
            description="Notify the batch model's owners of each run's outcome in production's account",
            targets=[
                targets.SnsTopic(
                    core.registry.notifications, message=events.RuleTargetInput.from_text(message)
                )
            ],
        )
