"""Ground truth for captured traffic, as a labelling process would upload it: SageMaker's JSON Lines format.

One line per record: `groundTruthData` (the label, CSV-encoded) and `eventMetadata.eventId`, the
inference id of the request; a request of several records gets `<id>#<index>` per record, the ids the
capture parser gives those records. Files go under `<prefix>/<endpoint>/yyyy/mm/dd/hh/`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any


def record_ids(request_ids: Sequence[str], rows_per_request: int, total_rows: int) -> list[str]:
    """The inference id of every record sent as requests of `rows_per_request` rows."""
    ids = []
    for index in range(total_rows):
        request, position = divmod(index, rows_per_request)
        # A request holding one record keeps its own id, as in a partly filled last request.
        last = min(rows_per_request, total_rows - request * rows_per_request)
        ids.append(request_ids[request] if last == 1 else f"{request_ids[request]}#{position}")
    return ids


def write_ground_truth(
    s3: Any, location: dict[str, str], endpoint: str, labels: Sequence[tuple[str, Any]], when: datetime
) -> str:
    """Upload (inference id, label) pairs as one ground-truth file; return its key."""
    key = f"{location['prefix'].rstrip('/')}/{endpoint}/{when:%Y/%m/%d/%H}/{uuid.uuid4().hex}.jsonl"
    lines = [
        json.dumps(
            {
                "groundTruthData": {"data": str(label), "encoding": "CSV"},
                "eventMetadata": {"eventId": inference_id},
                "eventVersion": "0",
            }
        )
        for inference_id, label in labels
    ]
    s3.put_object(
        Bucket=location["bucket"],
        Key=key,
        Body="\n".join(lines).encode(),
        ContentType="application/jsonlines",
    )
    return key
