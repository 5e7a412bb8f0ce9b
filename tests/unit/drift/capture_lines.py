"""A SageMaker data-capture line, as the tests of the capture parser write them."""

import json


def capture_line(
    data,
    encoding="CSV",
    content_type="text/csv",
    output="0.5",
    out_encoding="CSV",
    out_type="text/csv",
    event_id="e1",
    inference_id=None,
):
    meta = {"eventId": event_id, "inferenceTime": "2025-01-01T00:00:00Z"}
    if inference_id:
        meta["inferenceId"] = inference_id
    return json.dumps(
        {
            "captureData": {
                "endpointInput": {
                    "observedContentType": content_type,
                    "mode": "INPUT",
                    "data": data,
                    "encoding": encoding,
                },
                "endpointOutput": {
                    "observedContentType": out_type,
                    "mode": "OUTPUT",
                    "data": output,
                    "encoding": out_encoding,
                },
            },
            "eventMetadata": meta,
            "eventVersion": "0",
        }
    )
