"""`mlops training`: training-spec commands (validate, offline, with the pipeline's own rules)."""

from __future__ import annotations

from pathlib import Path

import click

from mlops_cli.aws import env_option
from mlops_cli.errors import EXIT_PROBLEMS
from mlops_cli.validate_cmd import print_problems, read_file
from mlops_training.validate import validate_training_spec


@click.group("training")
def training() -> None:
    """Training specs: how a model is trained, evaluated, registered and retrained."""


@training.command("validate")
@click.argument("spec_path", metavar="SPEC", type=click.Path(path_type=Path))
@env_option(
    "--allowed-prefixes",
    "MLOPS_TRAINING_PREFIXES",
    "Comma-separated S3 prefixes training may read and write (config); without them, S3 locations are "
    "checked for their shape only",
)
def validate_spec(spec_path: Path, allowed_prefixes: str | None) -> None:
    """Check SPEC (a training spec JSON file) with the training pipeline's rules, offline.

    Prints every problem (path, what was found, what is allowed) and exits 1, or prints "valid" and
    exits 0. A missing file exits 2. No AWS call is made.
    """
    prefixes = tuple(p.strip() for p in (allowed_prefixes or "").split(",") if p.strip())
    raw = read_file(spec_path, "training spec")
    spec = validate_training_spec(raw, allowed_prefixes=prefixes, size=spec_path.stat().st_size)
    if isinstance(spec, list):
        print_problems(str(spec_path), spec)
        raise click.exceptions.Exit(EXIT_PROBLEMS)
    checked = f"S3 locations under {', '.join(prefixes)}" if prefixes else "S3 prefixes not checked"
    click.echo(f"valid: training spec for {spec.model_name}, job {spec.job.kind} ({checked})")
