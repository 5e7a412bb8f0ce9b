"""Model-quality outputs: the JSON report, CloudWatch metrics and the breach notification."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from lambdas.common.events import DetailType
from lambdas.common.publishing import notify as publish_notification
from lambdas.common.publishing import put_event
from mlops_drift.jsonsafe import finite

NAMESPACE = "MLOpsOrchestrator/ModelQuality"
METRIC_NAMES = {
    "accuracy": "Accuracy",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "roc_auc": "RocAuc",
    "precision_macro": "PrecisionMacro",
    "recall_macro": "RecallMacro",
    "f1_macro": "F1Macro",
    "roc_auc_macro": "RocAucMacro",
    "rmse": "RMSE",
    "mae": "MAE",
    "r2": "R2",
}
BIAS_NAMES = {
    "selection_rate_gap": "SelectionRateGap",
    "true_positive_rate_gap": "TruePositiveRateGap",
    "disparate_impact": "DisparateImpact",
}


def _datum(
    name: str, value: float, dims: list[dict[str, str]], now: datetime, unit: str = "None"
) -> dict[str, Any]:
    """One MetricDatum."""
    return {"MetricName": name, "Dimensions": dims, "Value": float(value), "Unit": unit, "Timestamp": now}


def metric_data(report: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Overall metrics (EndpointName) and bias gaps (EndpointName, Attribute)."""
    endpoint = [{"Name": "EndpointName", "Value": report["endpoint_name"]}]
    data = [
        _datum("QualityBreached", float(report["status"] == "breached"), endpoint, now),
        _datum("MatchedRecords", report["join"]["matched"], endpoint, now, "Count"),
        _datum("UnmatchedLabels", report["join"]["unmatched_labels"], endpoint, now, "Count"),
    ]
    if report["status"] == "insufficient_data":
        return data
    data += [
        _datum(METRIC_NAMES[k], v, endpoint, now)
        for k, v in report["metrics"].items()
        if k in METRIC_NAMES and v is not None and math.isfinite(v)
    ]
    for attribute, result in report["bias"].items():
        dims = [*endpoint, {"Name": "Attribute", "Value": attribute}]
        data += [
            _datum(BIAS_NAMES[k], v, dims, now)
            for k, v in result.items()
            if k in BIAS_NAMES and v is not None and math.isfinite(v)
        ]
    return data


def write_report(s3: Any, bucket: str, report: dict[str, Any], now: datetime) -> str:
    """Write quality/<endpoint>/<timestamp>.json and latest.json; return the timestamped key."""
    root = f"quality/{report['endpoint_name']}/"
    key = f"{root}{now:%Y-%m-%dT%H-%M-%SZ}.json"
    body = json.dumps(finite(report), allow_nan=False).encode()
    for target in (key, root + "latest.json"):
        s3.put_object(Bucket=bucket, Key=target, Body=body, ContentType="application/json")
    return key


def publish_metrics(cloudwatch: Any, report: dict[str, Any], now: datetime) -> None:
    """Put every quality metric."""
    data = metric_data(report, now)
    for start in range(0, len(data), 500):
        cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=data[start : start + 500])


def _describe(breach: dict[str, Any]) -> str:
    """'accuracy = 0.61 (min 0.8)' or 'selection_rate_gap[plan] = 0.3 (max 0.2)'."""
    where = f"[{breach['attribute']}]" if "attribute" in breach else ""
    bound = " ".join(f"{k} {breach[k]:g}" for k in ("min", "max") if breach.get(k) is not None)
    return f"{breach['metric']}{where} = {breach['value']:.4g} ({bound})"


def announce(events: Any, bus_name: str, report: dict[str, Any], report_uri: str) -> None:
    """Emit ModelQualityBreached: retraining pipelines that opted in start on it."""
    identity = ("endpoint_name", "variant_name", "model_name", "model_version")
    detail = {name: report.get(name) for name in identity}
    detail |= {"breaches": report["breaches"], "matched": report["join"]["matched"], "report": report_uri}
    put_event(events, bus_name, DetailType.MODEL_QUALITY_BREACHED, detail)


def notify(sns: Any, topic_arn: str, report: dict[str, Any], bucket: str, key: str) -> None:
    """Tell the topic which quality metrics are out of range."""
    lines = [
        f"Model quality breached on endpoint {report['endpoint_name']}, "
        f"model {report['model_name']} {report['model_version']} "
        f"({report['join']['matched']:,} labelled records):",
        *(f"  - {_describe(b)}" for b in report["breaches"]),
        f"Report: s3://{bucket}/{key}",
    ]
    publish_notification(
        sns, topic_arn, f"Model quality breached: {report['endpoint_name']}", "\n".join(lines)
    )
