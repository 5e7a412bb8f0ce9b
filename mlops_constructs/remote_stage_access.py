"""RemoteStageAccess: the tooling side of stages in other accounts — who may read, and what comes back."""

from collections.abc import Mapping

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from lambdas.common.events import EVENT_SOURCE
from lambdas.deployment_events.patterns import ROLLBACK_PATTERN
from mlops_constructs.bucket_reads import open_to_model_roles, open_to_readers
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import OrchestratorFunction, event_pattern
from mlops_constructs.sagemaker_role_policy import ARTIFACTS_PREFIX
from mlops_constructs.stage_host import StageHost
from mlops_contract.batch_layout import BATCH_DETAIL_TYPES

_NOTIFIED = {
    EVENT_SOURCE: "drift, quality and other lifecycle events of the stage's checks",
    "aws.cloudwatch": "alarm state changes of the stage's endpoints and functions",
}
_FIELD = events.EventField.from_path


def _message(source: str) -> events.RuleTargetInput:
    """A readable line for people: what happened, where, and to which model or alarm."""
    where = f"in account {_FIELD('$.account')} ({_FIELD('$.region')}) at {_FIELD('$.time')}"
    if source == EVENT_SOURCE:
        model = f"{_FIELD('$.detail.model_name')} {_FIELD('$.detail.model_version')}"
        what = f"{_FIELD('$.detail-type')}: model {model}"
        return events.RuleTargetInput.from_text(
            f"{what}, endpoint {_FIELD('$.detail.endpoint_name')}, {where}"
        )
    what = f"Alarm {_FIELD('$.detail.alarmName')} is {_FIELD('$.detail.state.value')}"
    return events.RuleTargetInput.from_text(f"{what} {where}: {_FIELD('$.detail.state.reason')}")


class RemoteStageAccess(Construct):
    """Bucket, key and bus policies that name each remote stage's roles, and rules for forwarded events."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        hosts: Mapping[str, StageHost],
        rollbacks: OrchestratorFunction,
        artifacts: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        self._open_reads(core, hosts, artifacts)
        forwarding = {host.forwarding_role.node.path: host.forwarding_role for host in hosts.values()}
        self._accept_forwarded(core.event_bus, list(forwarding.values()))
        accounts = sorted({host.account for host in hosts.values()})
        rollbacks.trigger(
            self,
            "StageEndpointRolledBack",
            event_bus=core.event_bus,
            pattern={**ROLLBACK_PATTERN, "account": accounts},
            description="A guarded endpoint deployment rolled back in a stage account",
        )
        self._notify(core, accounts)

    @staticmethod
    def _open_reads(core: OrchestratorCore, hosts: Mapping[str, StageHost], artifacts: s3.IBucket) -> None:
        """The registry and the artifact store name every stage role that reads them, through S3 only; the
        per-model roles of each stage in this region read registered artifacts (in other regions they read
        the copies in their own account and region)."""
        registry = core.registry
        here = [host for host in hosts.values() if host.region == artifacts.stack.region]
        open_to_readers(
            registry.registry_bucket,
            registry.encryption_key,
            distinct_readers([reader for host in hosts.values() for reader in host.registry_readers]),
            "StageReadsRegistered",
        )
        open_to_model_roles(
            registry.registry_bucket,
            registry.encryption_key,
            sorted({(host.account, host.roles.stage) for host in here}),
            [f"{ARTIFACTS_PREFIX}*"],
            "StageModelsRead",
        )
        # CDK's pipeline opens the artifact bucket and key to each cross-account action role; the stage's
        # CloudFormation role, which reads the template itself, is named here. Stages in other regions read
        # the templates from the pipelines' artifact store of their region (PipelineRegionStack).
        open_to_readers(
            artifacts,
            registry.encryption_key,
            distinct_readers([reader for host in here for reader in host.artifact_readers]),
            "StageReadsTemplates",
        )

    def _accept_forwarded(self, bus: events.IEventBus, roles: list[iam.IRole]) -> None:
        """Only the stage accounts' forwarding roles may put events on the tooling bus."""
        for index, role in enumerate(roles):
            bus_statement = iam.PolicyStatement(
                sid=f"StageForwarding{index}",
                principals=[iam.ArnPrincipal(role.role_arn)],
                actions=["events:PutEvents"],
                resources=[bus.event_bus_arn],
            )
            events.CfnEventBusPolicy(
                self,
                f"AcceptStage{index}",
                event_bus_name=bus.event_bus_name,
                statement_id=f"StageForwarding{index}",
                statement=bus_statement.to_statement_json(),
            )

    def _notify(self, core: OrchestratorCore, accounts: list[str]) -> None:
        """People hear of the stages' drift, quality and alarms from the tooling account's topic."""
        topic = core.registry.notifications
        for source, description in _NOTIFIED.items():
            pattern = event_pattern({"source": [source], "account": accounts})
            if source == EVENT_SOURCE:  # batch outcomes have a message of their own (RemoteBatchAccess)
                pattern = events.EventPattern(
                    source=pattern.source,
                    account=pattern.account,
                    detail_type=events.Match.anything_but(*BATCH_DETAIL_TYPES.values()),
                )
            events.Rule(
                self,
                f"Notify{source.split('.')[-1].capitalize()}",
                event_bus=core.event_bus,
                event_pattern=pattern,
                description=f"Notify the platform team of {description}",
                targets=[targets.SnsTopic(topic, message=_message(source))],
            )


def distinct_readers(
    readers: list[tuple[iam.IRole, tuple[str, ...]]],
) -> list[tuple[iam.IRole, tuple[str, ...]]]:
    """Each role and its patterns once: stages that share a target stack share its readers."""
    return list({(role.node.path, patterns): (role, patterns) for role, patterns in readers}.values())
