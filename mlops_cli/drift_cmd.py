"""`mlops drift`: the latest drift verdict of an endpoint and where its HTML report is."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click

from lambdas.common.registry_status import as_dict, as_list, read_json
from lambdas.common.s3_uri import split_s3_uri
from mlops_cli.aws import Aws, aws_options, env_option
from mlops_cli.errors import CliError


def _feature_lines(latest: dict[str, Any]) -> list[str]:
    """One line per drifted feature with its numeric metrics."""
    features = [as_dict(f) for f in as_list(latest.get("features"))]
    metrics = {f.get("name"): as_dict(f.get("metrics")) for f in features}
    lines = []
    for name in as_list(latest.get("drifted_features")):
        scores = metrics.get(name, {})
        shown = [
            f"{k}={v:.4g}"
            for k, v in scores.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        ]
        lines.append(f"  {name}  {' '.join(shown)}".rstrip())
    return lines


def _download(s3: Any, uri: str, out: Path | None) -> Path:
    """Download an s3:// report into `out` (default: a new temporary folder)."""
    bucket, key = split_s3_uri(uri)
    folder = out or Path(tempfile.mkdtemp(prefix="mlops-drift-"))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(key).name
    s3.download_file(bucket, key, str(target))
    return target


def render(endpoint: str, latest: dict[str, Any]) -> None:
    """Print the verdict, record counts and drifted features."""
    drifted = _feature_lines(latest)
    click.echo(f"endpoint {endpoint}: {latest.get('status', 'unknown')}")
    current, baseline = latest.get("current_records", "?"), latest.get("baseline_records", "?")
    click.echo(f"records: {current} current, {baseline} baseline")
    click.echo("drifted features:" + ("" if drifted else " none"))
    for line in drifted:
        click.echo(line)


@click.command("drift")
@click.argument("endpoint")
@env_option("--reports-bucket", "MLOPS_REPORTS_BUCKET", "Reports bucket", required=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Download the HTML report into this folder.",
)
@click.option("--json", "as_json", is_flag=True, help="Print latest.json as it is stored.")
@aws_options
def drift(aws: Aws, endpoint: str, reports_bucket: str, out: Path | None, as_json: bool) -> None:
    """Show ENDPOINT's latest drift verdict (drift/<endpoint>/latest.json in the reports bucket): status,
    drifted features with their scores, record counts, and the HTML report's S3 URI. In local mode
    (--endpoint-url) or with --out the HTML report is downloaded and its local path printed.
    """
    s3 = aws.client("s3")
    latest = read_json(s3, reports_bucket, f"drift/{endpoint}/latest.json")
    if latest is None:
        where = f"s3://{reports_bucket}/drift/{endpoint}/latest.json"
        raise CliError(f"no drift report for {endpoint!r} at {where} (has a drift check run yet?)")
    if as_json:
        click.echo(json.dumps(latest, indent=2))
        return
    render(endpoint, latest)
    html = str(as_dict(latest.get("reports")).get("html") or "")
    click.echo(f"HTML report: {html or '(none)'}")
    if html.startswith("s3://") and (out is not None or aws.endpoint_url):
        click.echo(f"downloaded: {_download(s3, html, out)}")
