"""Drift outputs beyond the reports: CloudWatch metrics, the SNS notification and the EventBridge event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lambdas.common.events import DetailType
from lambdas.common.publishing import notify, put_event
from lambdas.drift_check.reporting import Locations, Run
from mlops_drift import FeatureDrift, Status

NAMESPACE = "MLOpsOrchestrator/Drift"
# Engine metric -> CloudWatch metric name, published per feature when the engine computed it.
FEATURE_METRICS = {"psi": "PSI", "ks": "KS", "js": "JSDistance", "missing_rate_change": "MissingRateChange"}
COUNTS = ("DriftedFeatureCount", "RecordsAnalyzed", "MalformedLines", "UnreadableFiles")
CHUNK = 500  # PutMetricData takes up to 1,000 values per call


def metric_data(run: Run) -> list[dict[str, Any]]:
    """Overall metrics (EndpointName) and per-feature metrics (EndpointName, Feature)."""
    endpoint = {"Name": "EndpointName", "Value": run.request.endpoint_name}
    report = run.report
    psis = [v for f in report.features if (v := f.metrics.get("psi")) is not None]
    overall = {
        "DriftDetected": float(report.status is Status.DRIFT),
        "DriftedFeatureCount": float(len(report.drifted_features)),
        "RecordsAnalyzed": float(report.current_records),
        "MalformedLines": float(run.partial.malformed_lines),
        "UnreadableFiles": float(run.partial.unreadable_files),
        "MaxPSI": max(psis, default=0.0),
        "SchemaMismatchRate": report.schema.observation.rate if report.schema is not None else 0.0,
    }
    data = [_datum(name, value, [endpoint], run.now) for name, value in overall.items()]
    for feature in report.features:
        dims = [endpoint, {"Name": "Feature", "Value": feature.name}]
        for key, name in FEATURE_METRICS.items():
            if (value := feature.metrics.get(key)) is not None:
                data.append(_datum(name, value, dims, run.now))
    return data


def _datum(name: str, value: float, dims: list[dict[str, str]], now: datetime) -> dict[str, Any]:
    """One MetricDatum."""
    unit = "Count" if name in COUNTS else "None"
    return {"MetricName": name, "Dimensions": dims, "Value": float(value), "Unit": unit, "Timestamp": now}


def publish_metrics(cloudwatch: Any, run: Run) -> None:
    """Put every drift metric."""
    data = metric_data(run)
    for start in range(0, len(data), CHUNK):
        cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=data[start : start + CHUNK])


def _headline(feature: FeatureDrift) -> str:
    """'name: psi=0.41, ks=0.22 (breaches: psi, ks)'."""
    scores = ", ".join(
        f"{k}={v:.3g}" for k in ("psi", "ks", "js") if (v := feature.metrics.get(k)) is not None
    )
    return f"{feature.name}: {scores} (breaches: {', '.join(feature.breaches)})"


def notification(run: Run, where: Locations) -> tuple[str, str]:
    """(subject, message) of the drift notification."""
    r = run.request
    drifted = [f for f in run.report.features if f.status is Status.DRIFT]
    schema = run.report.schema
    lines = [
        f"Data drift detected on endpoint {r.endpoint_name} (variant {r.variant_name}), "
        f"model {r.model_name} {r.model_version}.",
        *([f"Schema change: {schema.summary()}."] if schema is not None and schema.drifted else []),
        f"{len(drifted)} of {len(run.report.features)} features drifted "
        f"over {run.report.current_records:,} records:",
        *(f"  - {_headline(f)}" for f in drifted),
        f"HTML report: {where.uris()['html']}",
        f"JSON report: {where.uris()['json']}",
    ]
    return f"Drift detected: {r.endpoint_name}"[:100], "\n".join(lines)


def event_detail(run: Run, where: Locations) -> dict[str, Any]:
    """Detail of the ModelDriftDetected event."""
    return {
        **run.request.identity(),
        "status": run.report.status.value,
        "records": run.report.current_records,
        "drifted_features": [
            {"name": f.name, "kind": f.kind, "breaches": list(f.breaches), "metrics": f.metrics}
            for f in run.report.features
            if f.status is Status.DRIFT
        ],
        "schema": run.report.schema.to_dict() if run.report.schema is not None else None,
        "reports": where.uris(),
        "generated_at": run.now.isoformat(),
    }


def announce(sns: Any, events: Any, topic_arn: str, bus_name: str, run: Run, where: Locations) -> None:
    """Notify the topic and emit ModelDriftDetected."""
    subject, message = notification(run, where)
    notify(sns, topic_arn, subject, message)
    put_event(events, bus_name, DetailType.MODEL_DRIFT_DETECTED, event_detail(run, where))
