"""Blueprint parameters of one inference type only, all filled from the model as pipeline variables."""

from typing import Any

from mlops_manifest.inference import InferenceType

PER_TYPE: dict[InferenceType, dict[str, dict[str, Any]]] = {
    InferenceType.REALTIME: {
        "TargetInvocationsPerInstance": {
            "type": "Number",
            "description": "Autoscaling target: invocations per instance per minute",
            "default": 100,
            "min_value": 1,
        },
    },
    InferenceType.ASYNC: {
        "TargetBacklogPerInstance": {
            "type": "Number",
            "description": "Autoscaling target: queued requests per instance",
            "default": 5,
            "min_value": 1,
        },
        "AsyncOutputS3Uri": {
            "description": "s3:// prefix for asynchronous results",
            "allowed_pattern": r"^s3://\S+$",
        },
        "AsyncSuccessTopicArn": {
            "description": "SNS topic for successful inferences (empty: none)",
        },
        "AsyncErrorTopicArn": {"description": "SNS topic for failed inferences (empty: none)"},
        "MaxConcurrentInvocationsPerInstance": {
            "type": "Number",
            "description": "Concurrent requests per instance",
            "default": 4,
            "min_value": 1,
            "max_value": 1000,
        },
    },
    InferenceType.SERVERLESS: {
        "MemorySizeInMB": {
            "type": "Number",
            "description": "Serverless memory",
            "allowed_values": ["1024", "2048", "3072", "4096", "5120", "6144"],
            "default": "2048",
        },
        "MaxConcurrency": {
            "type": "Number",
            "description": "Serverless concurrent invocations",
            "default": 5,
            "min_value": 1,
            "max_value": 200,
        },
    },
}
