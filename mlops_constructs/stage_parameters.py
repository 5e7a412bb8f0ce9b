"""The endpoint blueprint parameters a stage's checks and data fix, wherever the stage runs."""

from mlops_constructs.data_home import DataHome
from mlops_constructs.deployment_pipeline import variable
from mlops_constructs.drift_monitoring import DriftMonitoring
from mlops_constructs.model_registry import ASYNC_OUTPUT_PREFIX, CAPTURE_PREFIX
from mlops_constructs.quality_monitoring import QualityMonitoring


def check_parameters(
    *,
    stage: str,
    data: DataHome,
    key_arn: str,
    drift: DriftMonitoring,
    quality: QualityMonitoring,
    schedule_group: str,
) -> dict[str, str]:
    """Capture and report locations, the data key, the checks and their schedule group, the alarm topic."""
    capture = data.data_capture_bucket.bucket_name
    return {
        "NotificationTopicArn": data.notifications.topic_arn,
        "KmsKeyArn": key_arn,
        "DataCaptureS3Uri": f"s3://{capture}/{CAPTURE_PREFIX}",
        "DriftCheckFunctionArn": drift.check.function.function_arn,
        "DriftSchedulerRoleArn": drift.scheduler_role.role_arn,
        "ScheduleGroupName": schedule_group,
        "QualityCheckFunctionArn": quality.check.function.function_arn,
        "ReportsBucketName": data.reports_bucket.bucket_name,  # Model Monitor reports
        "AsyncOutputS3Uri": f"s3://{capture}/{ASYNC_OUTPUT_PREFIX}{stage}/{variable('ModelName')}",
    }
