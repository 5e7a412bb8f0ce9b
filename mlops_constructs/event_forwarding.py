"""EventForwarding: a stage account's lifecycle events, sent on to the tooling account's event bus."""

from aws_cdk import PhysicalName
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from lambdas.deployment_events.forwarding import forwarded_patterns
from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs
from mlops_constructs.orchestrator_function import dead_letter_queue, event_pattern

_ITSELF_A_DLQ = "This queue is itself the forwarding rules' dead-letter queue."


class EventForwarding(Construct):
    """Rules on this account's default bus whose target is the tooling bus, through one named role.

    AWS services announce state changes on the default bus only, and the checks announce theirs there too,
    so one set of rules carries everything; the tooling bus policy names `role` and no one else.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tooling_bus: events.IEventBus,
        alarm_prefixes: tuple[str, ...],
        encryption_key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("events.amazonaws.com"),
            role_name=PhysicalName.GENERATE_IF_NEEDED,  # the tooling bus policy names it
            description="Forwards the orchestrator's lifecycle events to the tooling account's bus",
        )
        self.dead_letter_queue = self._undelivered(encryption_key)
        target = targets.EventBus(tooling_bus, role=self.role, dead_letter_queue=self.dead_letter_queue)
        self.rules = [
            events.Rule(
                self,
                name,
                event_pattern=event_pattern(pattern),
                description=f"Forward {name} events to the tooling account",
                targets=[target],
            )
            for name, pattern in forwarded_patterns(alarm_prefixes).items()
        ]
        acknowledge(
            self.role.node.find_child("DefaultPolicy"),
            in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
        )

    def _undelivered(self, encryption_key: kms.IKey) -> sqs.Queue:
        """Events the tooling bus refuses, or that cannot be delivered for a day, are kept here."""
        queue = dead_letter_queue(self, "Undelivered", encryption_key)
        acknowledge(queue, dict.fromkeys(("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"), _ITSELF_A_DLQ))
        return queue
