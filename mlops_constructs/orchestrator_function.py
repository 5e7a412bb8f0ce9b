"""OrchestratorFunction: a compliant Python Lambda with its role, logs, dead-letter queue and alarms."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aws_cdk import Aspects, Duration, PhysicalName, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs, skip_checkov
from mlops_constructs.cfn_fixes import depend_on_policy_only
from mlops_constructs.key_via_services import KeyUseThroughServices
from mlops_constructs.local_bundling import package_code

RUNTIME = lambda_.Runtime.PYTHON_3_14
_NO_VPC = (
    "The function only calls AWS service APIs over TLS and holds no network-reachable resource; "
    "running it in a VPC would add NAT/endpoint cost without reducing exposure."
)

_ONE_ROLE_POLICY = (
    "The policy belongs to exactly one role and is deleted with it (a strict one-to-one relationship, "
    "where IAM guidance prefers an inline policy); every statement is scoped to this function's resources."
)

_XRAY_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
# EventBridge keeps retrying a function that fails or is throttled, then parks the event in its DLQ.
EVENT_RETRY_ATTEMPTS = 8
EVENT_MAX_AGE = Duration.hours(6)


def event_pattern(raw: Mapping[str, Any]) -> events.EventPattern:
    """A CDK event pattern from its EventBridge JSON form (the runtime modules own the patterns)."""
    return events.EventPattern(
        source=raw.get("source"),
        detail_type=raw.get("detail-type"),
        detail=raw.get("detail"),
        account=raw.get("account"),
    )


def audit_log_group(scope: Construct, encryption_key: kms.IKey) -> logs.LogGroup:
    """The "Logs" group of a function or workflow: KMS-encrypted, kept a year, retained with the stack."""
    return logs.LogGroup(
        scope,
        "Logs",
        encryption_key=encryption_key,
        retention=logs.RetentionDays.ONE_YEAR,
        removal_policy=RemovalPolicy.RETAIN,
    )


def dead_letter_queue(scope: Construct, construct_id: str, encryption_key: kms.IKey) -> sqs.Queue:
    """A KMS-encrypted, TLS-only queue that keeps undeliverable events for the longest SQS allows."""
    return sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=encryption_key,
        enforce_ssl=True,
        retention_period=Duration.days(14),
    )


@dataclass(frozen=True)
class FunctionPlatform:
    """What every orchestrator function is built on: the pinned dependencies layer, the data key (logs,
    environment, dead letters) and the topic its alarms notify."""

    dependencies: lambda_.ILayerVersion
    encryption_key: kms.IKey
    alarm_topic: sns.ITopic


class OrchestratorFunction(Construct):
    """An arm64 Python function: least-privilege role, KMS-encrypted logs and DLQ, tracing, error alarms.

    `source` names its folder under lambdas/, whose handler.py holds its `lambda_handler`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source: str,
        packages: tuple[str, ...] = (),
        description: str,
        platform: FunctionPlatform,
        extra_layers: tuple[lambda_.ILayerVersion, ...] = (),
        environment: Mapping[str, str],
        memory_size: int = 512,
        timeout: Duration | None = None,
        reserved_concurrency: int = 10,
        unscopable_actions: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        self._role_and_queue(platform.encryption_key)
        self.function = lambda_.Function(
            self,
            "Function",
            function_name=PhysicalName.GENERATE_IF_NEEDED,  # named only when another account invokes it
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=f"lambdas.{source}.handler.lambda_handler",
            # Its own folder, lambdas/common (every handler uses it) and the packages it imports.
            code=package_code(("lambdas/common", f"lambdas/{source}", *packages)),
            layers=[platform.dependencies, *extra_layers],
            description=description,
            memory_size=memory_size,
            timeout=timeout or Duration.minutes(1),
            reserved_concurrent_executions=reserved_concurrency,
            environment=dict(environment),
            **self._hardening(platform.encryption_key),
        )
        self._grant_own(unscopable_actions)
        self._alarms(platform.alarm_topic)
        self._acknowledge(unscopable_actions)

    def _role_and_queue(self, encryption_key: kms.IKey) -> None:
        """Its logs, its role (named only where another account refers to it: a stage's checks named in the
        tooling policies) and its encrypted dead-letter queue."""
        self.log_group = audit_log_group(self, encryption_key)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            role_name=PhysicalName.GENERATE_IF_NEEDED,
        )
        self.dead_letter_queue = dead_letter_queue(self, "DeadLetters", encryption_key)

    def _hardening(self, encryption_key: kms.IKey) -> dict[str, Any]:
        """What every function gets: its role, encrypted environment and logs, tracing and DLQ."""
        return {
            "role": self.role,
            "environment_encryption": encryption_key,
            "log_group": self.log_group,
            "logging_format": lambda_.LoggingFormat.JSON,
            "tracing": lambda_.Tracing.ACTIVE,
            "dead_letter_queue": self.dead_letter_queue,
        }

    def _grant_own(self, unscopable_actions: tuple[str, ...]) -> None:
        """Its own logs, the actions with no resource scope it needs, and keys only through services."""
        self.log_group.grant_write(self.role)
        if unscopable_actions:
            self.role.add_to_policy(iam.PolicyStatement(actions=list(unscopable_actions), resources=["*"]))
        depend_on_policy_only(self.function, self.role)
        Aspects.of(self).add(KeyUseThroughServices(self.role))

    def _alarms(self, alarm_topic: sns.ITopic) -> None:
        """Any error or any dead letter notifies the platform team."""
        self.errors_alarm = self._alarm(
            "Errors", self.function.metric_errors(period=Duration.minutes(5)), alarm_topic
        )
        self.dead_letters_alarm = self._alarm(
            "DeadLetters", self.dead_letter_queue.metric_approximate_number_of_messages_visible(), alarm_topic
        )

    def allow(
        self, actions: list[str], resources: list[str], conditions: dict[str, Any] | None = None
    ) -> None:
        """Add one scoped statement to the function's role."""
        self.role.add_to_policy(
            iam.PolicyStatement(actions=actions, resources=resources, conditions=conditions)
        )

    def trigger(
        self,
        scope: Construct,
        construct_id: str,
        *,
        pattern: Mapping[str, Any],
        description: str,
        event_bus: events.IEventBus | None = None,
    ) -> events.Rule:
        """A rule in `scope` that sends the events of an EventBridge JSON pattern to this function."""
        return events.Rule(
            scope,
            construct_id,
            event_bus=event_bus,
            event_pattern=event_pattern(pattern),
            description=description,
            targets=[self.event_target()],
        )

    def event_target(self) -> targets.LambdaFunction:
        """This function as an EventBridge rule target: retried for hours, then kept in its DLQ."""
        return targets.LambdaFunction(
            self.function,
            dead_letter_queue=self.dead_letter_queue,
            retry_attempts=EVENT_RETRY_ATTEMPTS,
            max_event_age=EVENT_MAX_AGE,
        )

    def acknowledge_policy(self, rules: Mapping[str, str]) -> None:
        """Acknowledge findings (e.g. granular AwsSolutions-IAM5) on the role's policy, with reasons."""
        acknowledge(self.role.node.find_child("DefaultPolicy"), rules)

    def _alarm(self, name: str, metric: cloudwatch.Metric, topic: sns.ITopic) -> cloudwatch.Alarm:
        alarm = metric.create_alarm(
            self,
            f"{name}Alarm",
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"{self.node.path}: {name.lower()} — see the function's logs",
        )
        alarm.add_alarm_action(actions.SnsAction(topic))
        return alarm

    def _acknowledge(self, unscopable_actions: tuple[str, ...]) -> None:
        acknowledge(self.function, in_regulatory_packs("LambdaInsideVPC", _NO_VPC))
        skip_checkov(self.function, {"CKV_AWS_117": _NO_VPC})
        acknowledge(
            self.dead_letter_queue,
            {
                "Serverless-SQSRedrivePolicy": "This queue is itself the function's dead-letter queue.",
            },
        )
        policy = self.role.node.find_child("DefaultPolicy")
        acknowledge(
            policy,
            {
                "AwsSolutions-IAM5[Resource::*]": "Only actions that support no resource-level permissions "
                f"are granted on '*': {', '.join((*_XRAY_ACTIONS, *unscopable_actions))}.",
                **in_regulatory_packs("IAMNoInlinePolicy", _ONE_ROLE_POLICY),
            },
        )
