"""One registration at a time per model version label, even when uploads of the same label race.

Before anything is stored for a version, the upload claims `<model>/<version>` with a conditional write
in the function's DynamoDB table (beside the idempotency records; the `version-claim#` prefix keeps the
two apart). The claim holds while its owner registers; an owner's retry may claim again, and a claim
older than the function can run is abandoned. A second upload meanwhile is refused when its artifact
differs, and retried later (by then the package exists) when it is the same artifact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

CLAIM_PREFIX = "version-claim#"
# Longer than the register function's timeout: an older claim's registration can no longer be running.
STALE_AFTER_SECONDS = 20 * 60
# Claims are kept a day (the table's TTL attribute), long after the registry itself answers for the version.
KEEP_SECONDS = 24 * 3600


class RegistrationInProgressError(RuntimeError):
    """Another upload of the same artifact is registering this version now; retry to see its package."""


@dataclass(frozen=True)
class Claim:
    """Who holds a version label, for which artifact, since when (epoch seconds)."""

    owner: str
    sha256: str
    claimed_at: float


def claim_version(dynamodb: Any, table: str, label: str, mine: Claim) -> Claim | None:
    """Claim the label for `mine`; None when it is ours now, else the other upload's live claim."""
    key = {"id": {"S": f"{CLAIM_PREFIX}{label}"}}
    item = {
        **key,
        "owner": {"S": mine.owner},
        "sha256": {"S": mine.sha256},
        "claimed_at": {"N": repr(mine.claimed_at)},
        "expiration": {"N": str(int(mine.claimed_at) + KEEP_SECONDS)},
    }
    try:
        dynamodb.put_item(
            TableName=table,
            Item=item,
            ConditionExpression="attribute_not_exists(id) OR #owner = :owner OR claimed_at < :stale",
            ExpressionAttributeNames={"#owner": "owner"},
            ExpressionAttributeValues={
                ":owner": {"S": mine.owner},
                ":stale": {"N": repr(mine.claimed_at - STALE_AFTER_SECONDS)},
            },
        )
        return None
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
    held = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
    if held is None:  # expired between the two calls: claim again
        return claim_version(dynamodb, table, label, mine)
    return Claim(held["owner"]["S"], held["sha256"]["S"], float(held["claimed_at"]["N"]))
