"""TrainingTriggers: what starts a training pipeline — drift findings, a schedule, new data under a prefix.

Every trigger starts the state machine with {"trigger": <kind>}; Prepare applies the spec's cool-down and
cap, so no trigger can start a job on its own.
"""

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from lambdas.common.events import EVENT_SOURCE, DetailType
from lambdas.common.s3_uri import split_s3_uri
from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs
from mlops_constructs.service_trust import scheduler_principal
from mlops_training.run_inputs import TriggerKind
from mlops_training.spec import TrainingSpec

_ONE_ROLE = in_regulatory_packs(
    "IAMNoInlinePolicy", "Bound one-to-one to this role: start this pipeline only."
)


class TrainingTriggers(Construct):
    """The spec's opted-in triggers, each a rule or schedule that starts the pipeline with its kind."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: TrainingSpec,
        state_machine: sfn.IStateMachine,
        event_bus: events.IEventBus,
    ) -> None:
        super().__init__(scope, construct_id)
        self._state_machine = state_machine
        retraining = spec.retraining
        self.rules: dict[TriggerKind, events.Rule] = {}
        self.events_role = self._events_role(state_machine)
        self.schedule: scheduler.CfnSchedule | None = None
        findings = (
            (retraining.drift, TriggerKind.DRIFT, DetailType.MODEL_DRIFT_DETECTED, "Drift found"),
            (retraining.quality, TriggerKind.QUALITY, DetailType.MODEL_QUALITY_BREACHED, "Quality breached"),
        )
        for opted_in, kind, detail_type, text in findings:
            if opted_in is not None:
                self._finding_rule(
                    kind, detail_type, spec.model_name, event_bus, f"{text} on {spec.model_name}"
                )
        if retraining.new_data is not None:
            bucket, prefix = split_s3_uri(retraining.new_data.prefix)
            detail: dict[str, Any] = {"bucket": {"name": [bucket]}, "object": {"key": [{"prefix": prefix}]}}
            pattern = events.EventPattern(source=["aws.s3"], detail_type=["Object Created"], detail=detail)
            self._rule(TriggerKind.NEW_DATA, pattern, None, f"New training data for {spec.model_name}")
        if retraining.schedule is not None:
            self.schedule = self._schedule(retraining.schedule.expression, spec.model_name)

    def _events_role(self, state_machine: sfn.IStateMachine) -> iam.Role:
        """One role for the rules, started executions only (CDK would make one per rule, unacknowledged)."""
        role = iam.Role(self, "EventsRole", assumed_by=iam.ServicePrincipal("events.amazonaws.com"))
        state_machine.grant_start_execution(role)
        acknowledge(role.node.find_child("DefaultPolicy"), _ONE_ROLE)
        return role

    def _finding_rule(
        self, kind: TriggerKind, detail_type: DetailType, model: str, bus: events.IEventBus, text: str
    ) -> None:
        """A rule on the lifecycle bus for one kind of finding about this model."""
        detail = {"model_name": [model]}
        pattern = events.EventPattern(source=[EVENT_SOURCE], detail_type=[str(detail_type)], detail=detail)
        self._rule(kind, pattern, bus, text)

    def _rule(
        self, kind: TriggerKind, pattern: events.EventPattern, bus: events.IEventBus | None, text: str
    ) -> None:
        """A rule (on the lifecycle bus, or the default bus for S3) that starts a run of this kind."""
        self.rules[kind] = events.Rule(
            self,
            f"{kind.value.title().replace('_', '')}Rule",
            event_bus=bus,
            event_pattern=pattern,
            description=f"{text}: start a {kind} training run (Prepare applies cool-down and cap)",
            targets=[
                targets.SfnStateMachine(
                    self._state_machine,
                    input=events.RuleTargetInput.from_object({"trigger": str(kind)}),
                    role=self.events_role,
                )
            ],
        )

    def _schedule(self, expression: str, model_name: str) -> scheduler.CfnSchedule:
        """A Scheduler schedule in the default group, with a role that may only start this pipeline."""
        stack = Stack.of(self)
        group = stack.format_arn(service="scheduler", resource="schedule-group", resource_name="default")
        role = iam.Role(self, "SchedulerRole", assumed_by=scheduler_principal([group]))
        self._state_machine.grant_start_execution(role)
        acknowledge(role.node.find_child("DefaultPolicy"), _ONE_ROLE)
        return scheduler.CfnSchedule(
            self,
            "Schedule",
            schedule_expression=expression,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            description=f"Scheduled retraining of {model_name}",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=self._state_machine.state_machine_arn,
                role_arn=role.role_arn,
                input='{"trigger": "schedule"}',
            ),
        )
