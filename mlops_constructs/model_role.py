"""ModelRole: the endpoint stack's own SageMaker execution role, which reads its model's artifact only.

Every name in its policy comes from the blueprint's parameters, so the same template works whichever bucket
holds the sealed artifact (the tooling registry, or a copy in the stage's own account and region): the object
ARN is the ModelDataUrl without its `s3://`. The stage's boundary policy caps whatever the policy says.
"""

from aws_cdk import Aws, Fn
from aws_cdk import aws_iam as iam
from constructs import Construct

from lambdas.smoke_test.settings import ASYNC_INPUT_PREFIX
from mlops_constructs.acknowledge import acknowledge, iam5_token, in_regulatory_packs
from mlops_constructs.endpoint_parameters import EndpointParameters
from mlops_constructs.model_network import ec2_arn, network_statements
from mlops_constructs.service_trust import sagemaker_principal
from mlops_contract.pipeline import MODEL_ROLE_ROOT
from mlops_manifest.inference import InferenceType

PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")
# S3 encrypts with bucket keys, whose KMS encryption context is the bucket ARN; objects written before
# bucket keys were enabled carry their own ARN (Amazon S3 User Guide, "Reducing the cost of SSE-KMS with
# Amazon S3 Bucket Keys", encryption context).
_S3_CONTEXT = "kms:EncryptionContext:aws:s3:arn"


def _s3_arn(path: str) -> str:
    """`arn:<partition>:s3:::<path>` for a path given as `bucket/key...`."""
    return Fn.join("", ["arn:", Aws.PARTITION, ":s3:::", path])


def _without_scheme(uri: str) -> str:
    """`bucket/key` of an `s3://bucket/key` parameter value (the parameter patterns require the scheme)."""
    return Fn.select(1, Fn.split("s3://", uri))


def _bucket_of(uri: str) -> str:
    return Fn.select(0, Fn.split("/", _without_scheme(uri)))


class ModelRole(Construct):
    """A role under `/mlops/<stage>/` with the stage's boundary, for one model's endpoint only."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        parameters: EndpointParameters,
        endpoint_name: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self._parameters, self._endpoint_name = parameters, endpoint_name
        self._reasons = in_regulatory_packs("IAMNoInlinePolicy", "The role's one policy, bound to it alone.")
        statements = self._artifact() + self._image() + self._runtime()
        if parameters.inference_type is not InferenceType.SERVERLESS:  # serverless: no capture, no VPC
            statements += self._capture() + self._network()
        stage = parameters.text("StageName")
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=sagemaker_principal(self),
            path=Fn.join("", [f"/{MODEL_ROLE_ROOT}/", stage, "/"]),
            permissions_boundary=iam.ManagedPolicy.from_managed_policy_arn(
                self, "Boundary", parameters.text("ModelRoleBoundaryArn")
            ),
            inline_policies={"Serving": iam.PolicyDocument(statements=statements)},
            description="Serves one registered model: reads its artifact, writes its endpoint's capture",
        )
        acknowledge(self.role, self._reasons)

    def _wildcard(self, resource: str, reason: str) -> str:
        """Record the reason for a resource with a wildcard (its AwsSolutions-IAM5 finding)."""
        self._reasons[iam5_token(self, resource)] = reason
        return resource

    def _artifact(self) -> list[iam.PolicyStatement]:
        """The one sealed object ModelDataUrl names, decrypted only by S3 for that bucket."""
        url = self._parameters.text("ModelDataUrl")
        artifact, bucket = _s3_arn(_without_scheme(url)), _s3_arn(_bucket_of(url))
        via_s3 = {
            "StringEquals": {
                "kms:ViaService": f"s3.{Aws.REGION}.amazonaws.com",
                _S3_CONTEXT: [bucket, artifact],
            }
        }
        # The key's account is the bucket's (the tooling account, or this one), which no parameter names.
        keys = self._wildcard(
            Fn.join("", ["arn:", Aws.PARTITION, ":kms:", Aws.REGION, ":*:key/*"]),
            "Only through S3 for the artifact's bucket (encryption context); the boundary names the key.",
        )
        return [
            iam.PolicyStatement(actions=["s3:GetObject"], resources=[artifact]),
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[keys], conditions=via_s3),
        ]

    def _image(self) -> list[iam.PolicyStatement]:
        """Pulls from the account and region in the registered image's host (`<account>.dkr.ecr.<region>.…`).

        The repository itself cannot be cut out of the URI with Fn::Split when its name has slashes.
        """
        host = Fn.split(".", Fn.select(0, Fn.split("/", self._parameters.text("ImageUri"))))
        account, region = Fn.select(0, host), Fn.select(3, host)
        repositories = self._wildcard(
            Fn.join("", ["arn:", Aws.PARTITION, ":ecr:", region, ":", account, ":repository/*"]),
            "The registered image's own account and region; the boundary allows image accounts only.",
        )
        return [iam.PolicyStatement(actions=list(PULL_ACTIONS), resources=[repositories])]

    def _runtime(self) -> list[iam.PolicyStatement]:
        """ECR authentication and metrics (no resource-level permissions); this endpoint's log group."""
        group = Fn.join(
            "",
            ["arn:", Aws.PARTITION, ":logs:", Aws.REGION, ":", Aws.ACCOUNT_ID, ":log-group:/aws/sagemaker/"],
        )
        endpoint_logs = Fn.join("", [group, "Endpoints/", self._endpoint_name])
        streams = self._wildcard(Fn.join("", [endpoint_logs, ":*"]), "Log streams of this endpoint's group.")
        self._reasons["AwsSolutions-IAM5[Resource::*]"] = "ECR authentication and metrics have no resource."
        return [
            iam.PolicyStatement(
                actions=["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], resources=["*"]
            ),
            iam.PolicyStatement(
                actions=[
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:DescribeLogStreams",
                ],
                resources=[endpoint_logs, streams],
            ),
        ]

    def _capture(self) -> list[iam.PolicyStatement]:
        """This endpoint's captured data, and for async endpoints its requests and answers, nothing else."""
        p, name = self._parameters, self._endpoint_name
        capture_uri = p.text("DataCaptureS3Uri")
        capture = _without_scheme(capture_uri)
        writes = [
            self._wildcard(_s3_arn(Fn.join("", [capture, "/", name, "/*"])), "This endpoint's capture.")
        ]
        statements: list[iam.PolicyStatement] = []
        if p.inference_type is InferenceType.ASYNC:
            statements.append(self._async(writes))
        bucket = _s3_arn(_bucket_of(capture_uri))
        via_s3 = {
            "StringEquals": {"kms:ViaService": f"s3.{Aws.REGION}.amazonaws.com"},
            "StringLike": {_S3_CONTEXT: [bucket, Fn.join("", [bucket, "/*"])]},
        }
        keys = self._wildcard(
            Fn.join("", ["arn:", Aws.PARTITION, ":kms:", Aws.REGION, ":", Aws.ACCOUNT_ID, ":key/*"]),
            "Keys of this account, only through S3 for the capture bucket; the boundary names the key.",
        )
        return [
            iam.PolicyStatement(actions=["s3:PutObject"], resources=writes),
            iam.PolicyStatement(
                actions=["kms:GenerateDataKey", "kms:Decrypt"], resources=[keys], conditions=via_s3
            ),
            *statements,
        ]

    def _network(self) -> list[iam.PolicyStatement]:
        """Interfaces in the stage's VPC, when it has one: asked for everywhere, the boundary names where."""
        self._wildcard(ec2_arn(self, "network-interface", "*"), "SageMaker names the interfaces it creates.")
        for placement in ("subnet", "security-group"):
            reason = "Ceiling only: the stage's boundary names its subnets and security groups."
            self._wildcard(ec2_arn(self, placement, "*"), reason)
        self._reasons["AwsSolutions-IAM5[Resource::*]"] = (
            "ECR authentication, metrics and EC2 Describe* calls have no resource."
        )
        return network_statements(self)

    def _async(self, writes: list[str]) -> iam.PolicyStatement:
        """Add this endpoint's answers to `writes`; return the read of the requests put for it."""
        p, name = self._parameters, self._endpoint_name
        answers = _s3_arn(Fn.join("", [_without_scheme(p.text("AsyncOutputS3Uri")), "/*"]))
        writes.append(self._wildcard(answers, "This endpoint's asynchronous answers."))
        capture = _bucket_of(p.text("DataCaptureS3Uri"))
        requests = _s3_arn(Fn.join("", [capture, f"/{ASYNC_INPUT_PREFIX}", name, "/*"]))
        reason = "Requests the smoke test and callers put for this endpoint."
        return iam.PolicyStatement(actions=["s3:GetObject"], resources=[self._wildcard(requests, reason)])
