"""`mlops status`: registry versions, rejections, pipeline executions, endpoints and drift of a model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from lambdas.common.endpoint_status import endpoint_state
from lambdas.common.pipeline_executions import model_executions
from lambdas.common.registry_status import drift_verdict, has_uploads, registry_versions, rejections
from mlops_cli.api_mode import api_client, api_url, status_through_api
from mlops_cli.aws import Aws, aws_options, env_option
from mlops_cli.errors import CliError
from mlops_cli.status_accounts import StagePlace, load_places, parse_reader_roles, remote_state
from mlops_cli.status_endpoint import render_endpoint
from mlops_cli.status_training import add_comparisons, render_training, training_runs


def collect(aws: Aws, model: str, version: str | None, options: dict[str, Any]) -> dict[str, Any]:
    """Gather every section; sections whose bucket or pipeline is not given are None."""
    sm, bucket, reports = aws.client("sagemaker"), options["bucket"], options["reports_bucket"]
    s3 = aws.client("s3") if bucket or reports else None
    status: dict[str, Any] = {"model": model, "version": version}
    status["versions"] = registry_versions(sm, model, version)
    status["rejections"] = rejections(s3, bucket, model, version) if bucket else None
    status["training_runs"] = training_runs(s3, reports, model) if reports else None
    add_comparisons(s3, bucket, model, status["versions"] or [])
    if (
        status["versions"] is None
        and not status["rejections"]
        and not status["training_runs"]
        and not (bucket and has_uploads(s3, bucket, model))
    ):
        where = f"no model package group in {aws.region_name()}" + (
            f" and nothing in s3://{bucket}" if bucket else ""
        )
        raise CliError(f"unknown model {model!r}: {where}")
    pipeline = options["pipeline"]
    status["executions"] = (
        model_executions(aws.client("codepipeline"), pipeline, model, version) if pipeline else None
    )
    status["endpoints"] = _endpoints(aws, model, options, s3)
    return status


def _endpoints(aws: Aws, model: str, options: dict[str, Any], s3: Any) -> list[dict[str, Any]]:
    """Each stage's endpoint; with a config, a stage of another account is read in that account."""
    sm, reports, states = aws.client("sagemaker"), options["reports_bucket"], []
    places = options.get("places") or [StagePlace(stage) for stage in options["stages"]]
    for place in places:
        name = options["endpoint_name_format"].format(model=model, stage=place.stage)
        if place.account is not None:
            states.append(remote_state(aws, place, name, options.get("reader_roles", {})))
            continue
        state = endpoint_state(sm, place.stage, name)
        if reports and state["status"] != "NotDeployed":
            state["drift"] = drift_verdict(s3, reports, state["endpoint"])
        states.append(state)
    return states


def _render_registry(status: dict[str, Any]) -> None:
    """Registry versions and rejections."""
    click.echo(f"model {status['model']}" + (f" version {status['version']}" if status["version"] else ""))
    click.echo("registry versions:")
    for v in status["versions"] or []:
        click.echo(f"  {v['version'] or '?'}  {v['approval']}  sha256 {v['sha256'][:12]}  {v['created']}")
        if v["approval_description"]:
            click.echo(f"      {v['approval_description']}")
        if v.get("comparison"):
            click.echo(f"      champion/challenger: {v['comparison']}")
    if not status["versions"]:
        click.echo("  (none registered)")
    if status["rejections"] is None:
        click.echo("rejections: (pass --bucket or set MLOPS_REGISTRY_BUCKET to see them)")
        return
    click.echo("rejections:" + ("" if status["rejections"] else " none"))
    for r in status["rejections"]:
        click.echo(f"  {r['version']}  {r['problem_count']} problem(s)  {r['rejected_at']}  {r['report']}")
        for p in r["problems"]:
            click.echo(f"    - {p.get('path')}: found {p.get('found')}; allowed: {p.get('allowed')}")


def _render_deployment(status: dict[str, Any]) -> None:
    """Pipeline executions, endpoints and drift verdicts."""
    if status["executions"] is None:
        click.echo("pipeline executions: (pass --pipeline or set MLOPS_PIPELINE to see them)")
    else:
        click.echo("pipeline executions:" + ("" if status["executions"] else " none"))
        for e in status["executions"]:
            stage = f"  at {e['stage']} ({e['stage_status']})" if e["stage"] else ""
            click.echo(f"  {e['version'] or '?'}  {e['status']}{stage}  {e['started']}  {e['execution_id']}")
    click.echo("endpoints:")
    for s in status["endpoints"]:
        lines = render_endpoint(s)
        drift = s.get("drift")
        if drift:
            lines[0] += f"  drift: {drift['status']}" + (
                f" {', '.join(drift['drifted_features'])}" if drift["drifted_features"] else ""
            )
        click.echo("\n".join(lines))


@click.command("status")
@click.argument("model")
@click.option("--version", help="Show only this version label.")
@env_option("--bucket", "MLOPS_REGISTRY_BUCKET", "Registry bucket, for rejection reports")
@env_option("--reports-bucket", "MLOPS_REPORTS_BUCKET", "Reports bucket, for drift verdicts")
@env_option("--pipeline", "MLOPS_PIPELINE", "Deployment pipeline name")
@click.option(
    "--stages", default="staging,production", show_default=True, help="Comma-separated stage names."
)
@click.option(
    "--endpoint-name-format", default="{model}-{stage}", show_default=True, help="Endpoint name of a stage."
)
@env_option(
    "--config",
    "MLOPS_CONFIG",
    "Deployment config: its stages replace --stages, and a stage in another account is read there",
)
@click.option(
    "--reader-role",
    "reader_roles",
    multiple=True,
    envvar="MLOPS_READER_ROLES",
    metavar="ACCOUNT=ROLE_ARN",
    help="The report-reader role of a stage account (its target stack's ReportReaderRoleArn output), to read "
    "that account's endpoints with --config; repeat per account (env MLOPS_READER_ROLES, space-separated).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@aws_options
def status(aws: Aws, model: str, version: str | None, as_json: bool, stages: str, **options: Any) -> None:
    """Show MODEL's registry versions and approval state (with the champion/challenger comparison of trained
    versions), rejected uploads, training runs and their outcome, deployment pipeline
    executions and their current stage, the endpoint of each stage as SageMaker reports it (status,
    failure reason, each variant's running and desired instances) and its last drift verdict.

    Exits 1 when the model is unknown (no package group, no upload, no rejection). With `mlops --api
    URL`, the provisioning API answers (every pipeline and stage of the deployment; no bucket options).
    With --config, every stage of that config is shown, each read in its own account: a stage in another
    account through the --reader-role given for it (a stage that cannot be read says why).
    """
    options["stages"] = [s.strip() for s in stages.split(",") if s.strip()]
    options["places"] = load_places(Path(options["config"])) if options["config"] else None
    options["reader_roles"] = parse_reader_roles(options["reader_roles"])
    if api_url():
        result = status_through_api(api_client(aws, "status"), model, version)
    else:
        result = collect(aws, model, version, options)
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
        return
    _render_registry(result)
    render_training(result)
    _render_deployment(result)
