"""POST /provisionpipeline: an MWO body mapped onto this product, answered without registering anything."""

from __future__ import annotations

from http import HTTPStatus

from lambdas.provisioning_api.errors import ApiError
from lambdas.provisioning_api.settings import Settings
from mlops_api.mwo_convert import MwoRefusal, convert
from mlops_api.mwo_draft import Destination
from mlops_api.mwo_result import MwoConversion


def provision_pipeline(raw: bytes, caller: str, settings: Settings) -> MwoConversion:
    """The manifest or monitoring section the body becomes; a 400 naming every problem otherwise."""
    where = Destination(
        registry_bucket=settings.registry_bucket,
        region=settings.region,
        image_accounts=settings.image_accounts,
    )
    result = convert(raw, caller=caller, where=where)
    if isinstance(result, MwoRefusal):
        raise ApiError(HTTPStatus.BAD_REQUEST, result.code, result.message, result.problems)
    return result
