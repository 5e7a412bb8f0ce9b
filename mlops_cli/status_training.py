"""`mlops status`: a model's training runs (from its run history) and each trained version's comparison."""

from __future__ import annotations

import json
from typing import Any

import click
from botocore.exceptions import ClientError
from pydantic import ValidationError

from lambdas.training_run.errors import TrainingRunError
from lambdas.training_run.history import read_history
from mlops_manifest.lineage import ChampionComparison, comparison_summary

MAX_MANIFEST_BYTES = 1024**2  # the manifest's own limit
SHOWN_RUNS = 20  # newest first; the history keeps up to 500


def training_runs(s3: Any, reports_bucket: str, model: str) -> list[dict[str, Any]] | dict[str, str]:
    """The model's runs, newest first (an empty list when it has none); a history that cannot be read is
    reported as {"error": why} rather than hiding the rest of the status."""
    try:
        history = read_history(s3, reports_bucket, model)
    except (TrainingRunError, ClientError) as error:
        return {"error": str(error)}
    runs = sorted(history.runs, key=lambda run: run.started_at, reverse=True)[:SHOWN_RUNS]
    return [
        {
            "run": run.run_name,
            "trigger": str(run.trigger),
            "started": run.started_at.isoformat(),
            "outcome": str(run.outcome),
            "reason": run.reason,
            "metric": run.metric,
            "score": run.score,
        }
        for run in runs
    ]


def version_comparison(s3: Any, bucket: str, model: str, version: str) -> str | None:
    """The champion/challenger line of a trained version from its manifest's lineage; None for uploads,
    or when the manifest cannot be read."""
    try:
        response = s3.get_object(Bucket=bucket, Key=f"models/{model}/{version}/manifest.json")
        if int(response["ContentLength"]) > MAX_MANIFEST_BYTES:
            return None
        document = json.loads(response["Body"].read())
        raw = (document.get("lineage") or {}).get("comparison")
        return comparison_summary(ChampionComparison.model_validate(raw)) if raw else None
    except (ClientError, ValueError, ValidationError, AttributeError):
        return None  # status shows what it can; the registry section still lists the version


def add_comparisons(s3: Any, bucket: str | None, model: str, versions: list[dict[str, Any]]) -> None:
    """Each version's champion/challenger line (None without the registry bucket, or for uploads)."""
    for found in versions:
        found["comparison"] = version_comparison(s3, bucket, model, found["version"]) if bucket else None


def render_training(status: dict[str, Any]) -> None:
    """The training runs section."""
    runs = status.get("training_runs")
    if runs is None:
        click.echo("training runs: (pass --reports-bucket or set MLOPS_REPORTS_BUCKET to see them)")
        return
    if isinstance(runs, dict):
        click.echo(f"training runs: cannot be read: {runs['error']}")
        return
    click.echo("training runs:" + ("" if runs else " none"))
    for run in runs:
        score = f"  {run['metric']} {run['score']:.4f}" if run["score"] is not None else ""
        click.echo(f"  {run['run']}  {run['trigger']}  {run['outcome']}{score}  {run['started']}")
        if run["reason"]:
            click.echo(f"      {run['reason']}")
