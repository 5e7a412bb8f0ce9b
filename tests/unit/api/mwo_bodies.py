"""MWO /provisionpipeline bodies shaped like MWO's own test fixtures, plus the `migration` object."""

from __future__ import annotations

from typing import Any

SHA = "ab" * 32
ASSETS = "mwo-assets-bucket"
PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/xgboost/1"
CUSTOM_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-serving:1.4"


def byom(pipeline_type: str, **overrides: Any) -> dict[str, Any]:
    """A BYOM body of `pipeline_type` as MWO's single-account examples wrote it."""
    body: dict[str, Any] = {
        "pipeline_type": pipeline_type,
        "model_name": "churn",
        "model_artifact_location": "models/churn/model.tar.gz",
        "inference_instance": "ml.m5.large",
        "migration": {"assets_bucket": ASSETS, "version": "v1", "artifact_sha256": SHA},
    }
    if "realtime" in pipeline_type:
        body["data_capture_location"] = "mwo-capture/churn/datacapture"
    else:
        body["batch_inference_data"] = "mwo-batch/inference/data.csv"
        body["batch_job_output_location"] = "mwo-batch/output/"
    if pipeline_type.endswith("builtin"):
        body |= {"model_framework": "xgboost", "model_framework_version": "1.7-1"}
    else:
        body["custom_image_uri"] = CUSTOM_IMAGE
    return body | overrides


def data_quality(**overrides: Any) -> dict[str, Any]:
    """A byom_data_quality_monitor body (numbers as strings, as MWO's fixtures sent them)."""
    body = {
        "pipeline_type": "byom_data_quality_monitor",
        "model_name": "churn",
        "endpoint_name": "churn-endpoint",
        "baseline_data": "model_monitor/training-dataset-with-header.csv",
        "baseline_job_output_location": "mwo-monitor/model_monitor/baseline_output",
        "monitoring_output_location": "mwo-monitor/model_monitor/monitor_output",
        "data_capture_location": "mwo-capture/churn/datacapture",
        "schedule_expression": "cron(0 * ? * * *)",
        "instance_type": "ml.m5.large",
        "instance_volume_size": "20",
        "baseline_max_runtime_seconds": "3600",
        "monitor_max_runtime_seconds": "1800",
        "migration": {"assets_bucket": ASSETS},
    }
    return body | overrides


def model_quality(**overrides: Any) -> dict[str, Any]:
    """A byom_model_quality_monitor body for a regression model."""
    body = data_quality(pipeline_type="byom_model_quality_monitor")
    body |= {
        "baseline_inference_attribute": "prediction",
        "baseline_ground_truth_attribute": "label",
        "problem_type": "Regression",
        "monitor_inference_attribute": "0",
        "monitor_ground_truth_input": "s3://mwo-ground-truth/groundtruth",
    }
    return body | overrides
