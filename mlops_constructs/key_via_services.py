"""Condition every KMS grant of a role on `kms:ViaService` when the role never calls KMS itself.

Functions use the data key only through the services that encrypt for them (S3 objects, SNS topics, SQS
dead-letter queues, DynamoDB tables, Lambda's own environment variables). The deployment pipelines' service
and action roles use the artifact key only through S3: CodePipeline keeps artifacts in its S3 artifact store
with S3 server-side encryption under the configured key (CodePipeline API Reference, "ArtifactStore": without
a key, "the default key for Amazon S3 is used"). Some of those grants are written inside aws-cdk-lib
(`grant_publish`, `grant_read_write_data`, the pipeline's artifact grants), so the role's finished policy is
rewritten at synthesis: a stolen credential cannot decrypt with the key directly.
"""

from typing import Any

import jsii
from aws_cdk import IAspect, Stack
from aws_cdk import aws_iam as iam
from constructs import IConstruct

from mlops_constructs.acknowledge import try_role_policy
from mlops_constructs.service_trust import via_services

# The services through which the orchestrator's functions use the data key.
FUNCTION_KEY_SERVICES = ("s3", "sns", "sqs", "dynamodb", "lambda")


# How CDK conditions a grant through an imported key alias (kms:ResourceAliases), e.g. the pipelines'
# artifact key of another region: still only through the services.
_BY_ALIAS = "ForAnyValue:StringEquals"

# The service through which the deployment pipelines' roles use the artifact key.
PIPELINE_KEY_SERVICES = ("s3",)


@jsii.implements(IAspect)
class KeyUseThroughServices:
    """Add the `kms:ViaService` condition to every kms:* statement of one role's default policy."""

    def __init__(self, role: iam.IRole, services: tuple[str, ...] = FUNCTION_KEY_SERVICES) -> None:
        self._role, self._services = role, services

    def visit(self, node: IConstruct) -> None:
        """Rewrite the role's default policy once it is complete."""
        # Aspects visit every construct below; each tree lookup is a call into jsii's node process.
        if not isinstance(node, iam.CfnPolicy):
            return
        policy = try_role_policy(self._role)
        if policy is None or node.node.path != f"{policy.node.path}/Resource":
            return
        stack = Stack.of(node)
        document: dict[str, Any] = stack.resolve(node.policy_document)
        condition = stack.resolve(via_services(node, self._services))
        for statement in document.get("Statement", []):
            actions = statement.get("Action")
            actions = actions if isinstance(actions, list) else [actions]
            if not all(str(action).startswith("kms:") for action in actions):
                continue
            if "Condition" not in statement:
                statement["Condition"] = condition
            elif set(statement["Condition"]) == {_BY_ALIAS}:  # CDK's grant through an imported alias
                statement["Condition"] = {**statement["Condition"], **self._in_key_region(statement)}
        node.policy_document = document

    def _in_key_region(self, statement: dict[str, Any]) -> dict[str, Any]:
        """The services in the region of the statement's key (an alias grant names one literal key ARN
        pattern, possibly of another region)."""
        region = str(statement["Resource"]).split(":")[3]
        return {"StringEquals": {"kms:ViaService": [f"{s}.{region}.amazonaws.com" for s in self._services]}}
