"""AWS-provided processing images (drift engine, Model Monitor analyzer), resolved per region."""

from aws_cdk import Aws, CfnMapping, Fn
from constructs import Construct

from mlops_manifest.images import image_table

# Python 3.12 inside: the drift engine needs 3.11+ (StrEnum) and numpy, which this image ships.
SKLEARN_VERSION = "1.4-2-py312"
MODEL_MONITOR = "model-monitor"


def processing_image_uri(scope: Construct) -> str:
    """The scikit-learn image URI for the deploying region, from the committed image table."""
    image = image_table()["frameworks"]["sklearn"]["versions"][SKLEARN_VERSION]
    return _regional_uri(scope, "SklearnImageAccounts", image, f":{image['tags']['cpu']}")


def model_monitor_image_uri(scope: Construct) -> str:
    """The Model Monitor analyzer image URI for the deploying region (untagged, as the SDK uses it)."""
    image = image_table()["monitors"][MODEL_MONITOR]
    return _regional_uri(scope, "ModelMonitorImageAccounts", image, "")


def _regional_uri(scope: Construct, mapping_id: str, image: dict[str, str], tag: str) -> str:
    """`<account>.dkr.ecr.<region>.<suffix>/<repository><tag>`, the account from a region-keyed mapping."""
    accounts = image_table()["registries"][image["registry"]]
    mapping = CfnMapping(scope, mapping_id, mapping={r: {"account": a} for r, a in accounts.items()})
    account = mapping.find_in_map(Aws.REGION, "account")
    parts = [account, ".dkr.ecr.", Aws.REGION, ".", Aws.URL_SUFFIX, "/", image["repository"]]
    return Fn.join("", [*parts, *([tag] if tag else [])])
