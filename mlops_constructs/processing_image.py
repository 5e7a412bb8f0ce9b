"""The AWS scikit-learn image that runs the drift engine as a SageMaker Processing job, per region."""

from aws_cdk import Aws, CfnMapping, Fn
from constructs import Construct

from mlops_manifest.images import image_table

# Python 3.12 inside: the drift engine needs 3.11+ (StrEnum) and numpy, which this image ships.
SKLEARN_VERSION = "1.4-2-py312"


def processing_image_uri(scope: Construct) -> str:
    """The image URI for the deploying region, from the committed image table (no lookup at synth)."""
    table = image_table()
    image = table["frameworks"]["sklearn"]["versions"][SKLEARN_VERSION]
    accounts = table["registries"][image["registry"]]
    mapping = CfnMapping(
        scope, "SklearnImageAccounts", mapping={r: {"account": a} for r, a in accounts.items()}
    )
    account = mapping.find_in_map(Aws.REGION, "account")
    return Fn.join(
        "",
        [
            account,
            ".dkr.ecr.",
            Aws.REGION,
            ".",
            Aws.URL_SUFFIX,
            "/",
            image["repository"],
            ":",
            image["tags"]["cpu"],
        ],
    )
