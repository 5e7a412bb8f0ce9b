"""ProvisioningApi: the REST API (IAM auth, validated bodies, throttled, logged, traced) over one function."""

from aws_cdk import CfnOutput
from aws_cdk import aws_apigateway as apigw
from constructs import Construct
from pydantic import BaseModel

from mlops_api.openapi import gateway_schema
from mlops_api.operations import OPERATIONS, Operation
from mlops_constructs.acknowledge import acknowledge, in_regulatory_packs, skip_checkov
from mlops_constructs.gateway_schema import json_schema
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import audit_log_group
from mlops_constructs.provisioning_api_function import ApiTargets, api_function

STAGE_NAME = "v1"
RATE_LIMIT = 20  # requests per second, across callers: people and CI jobs, not traffic
BURST_LIMIT = 40
JSON = "application/json"
_ERROR_BODY = '{"error": "$context.error.responseType", "message": "$context.error.message"}'
_BAD_BODY = '{"error": "invalid_request", "message": "$context.error.validationErrorString"}'
_IAM_ONLY = "Every method takes IAM (SigV4) authorization only; callers are the company's IAM principals."
_NO_WAF = (
    "A private control-plane API behind IAM authorization with stage throttling; no public traffic to filter."
)
_ACCESS_LOGS = (
    "Access logs record every request; execution logging would need an account-wide CloudWatch role."
)
_NO_CACHE = "Answers reflect the registry and pipelines at the moment of the call; nothing is cached."
_NO_CLIENT_CERT = (
    "The function calls AWS APIs only; it trusts API Gateway's invocation, not a backend certificate."
)


class ProvisioningApi(Construct):
    """A REST API whose every operation (mlops_api.operations) reaches the provisioning function."""

    def __init__(
        self, scope: Construct, construct_id: str, *, core: OrchestratorCore, targets: ApiTargets
    ) -> None:
        super().__init__(scope, construct_id)
        self.handler = api_function(self, core, targets)
        self.access_logs = audit_log_group(self, core.registry.encryption_key)
        self.api = self._rest_api()
        self.validator = self.api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        integration = apigw.LambdaIntegration(self.handler.function, proxy=True)
        for op in OPERATIONS:
            self._method(op, integration)
        self._error_responses()
        self._acknowledge()
        CfnOutput(self, "Url", value=self.api.url, description="Provisioning API base URL (IAM auth)")

    def _rest_api(self) -> apigw.RestApi:
        """Regional, IAM-only, one throttled, traced and access-logged stage."""
        return apigw.RestApi(
            self,
            "Api",
            description="MLOps Orchestrator provisioning API (docs/openapi.json)",
            cloud_watch_role=False,
            endpoint_types=[apigw.EndpointType.REGIONAL],
            default_method_options=apigw.MethodOptions(authorization_type=apigw.AuthorizationType.IAM),
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                tracing_enabled=True,
                throttling_rate_limit=RATE_LIMIT,
                throttling_burst_limit=BURST_LIMIT,
                access_log_destination=apigw.LogGroupLogDestination(self.access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=True,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
        )

    def _method(self, op: Operation, integration: apigw.Integration) -> apigw.Method:
        """One operation's method: path parameters required, the body checked against its model."""
        resource = self.api.root.resource_for_path(op.path)
        models = {JSON: self._model(op.request)} if op.request is not None else None
        return resource.add_method(
            str(op.method),
            integration,
            request_validator=self.validator,
            request_models=models,
            request_parameters={f"method.request.path.{name}": True for name in op.path_parameters} or None,
            operation_name=str(op.operation_id),
        )

    def _model(self, request: type[BaseModel]) -> apigw.IModel:
        """The gateway model of a request body, made once per pydantic model."""
        name = f"{request.__name__}Model"
        found = self.api.node.try_find_child(name)
        if isinstance(found, apigw.Model):
            return found
        return self.api.add_model(name, content_type=JSON, schema=json_schema(gateway_schema(request)))

    def _error_responses(self) -> None:
        """Refusals by API Gateway itself (unsigned, throttled, invalid body) are JSON like the function's."""
        self.api.add_gateway_response(
            "BadBody", type=apigw.ResponseType.BAD_REQUEST_BODY, templates={JSON: _BAD_BODY}
        )
        for name, kind in (
            ("Default4xx", apigw.ResponseType.DEFAULT_4_XX),
            ("Default5xx", apigw.ResponseType.DEFAULT_5_XX),
        ):
            self.api.add_gateway_response(name, type=kind, templates={JSON: _ERROR_BODY})

    def _acknowledge(self) -> None:
        stage = self.api.deployment_stage
        acknowledge(
            stage,
            {
                "AwsSolutions-APIG3": _NO_WAF,
                "AwsSolutions-APIG6": _ACCESS_LOGS,
                # HIPAA Security has no such rule.
                **in_regulatory_packs(
                    "APIGWAssociatedWithWAF", _NO_WAF, packs=("NIST.800.53.R5", "PCI.DSS.321")
                ),
                **in_regulatory_packs("APIGWCacheEnabledAndEncrypted", _NO_CACHE),
                **in_regulatory_packs("APIGWExecutionLoggingEnabled", _ACCESS_LOGS),
                **in_regulatory_packs("APIGWSSLEnabled", _NO_CLIENT_CERT),
            },
        )
        skip_checkov(stage, {"CKV_AWS_120": _NO_CACHE})
        for method in self.api.methods:
            acknowledge(method, {"AwsSolutions-COG4": _IAM_ONLY})
