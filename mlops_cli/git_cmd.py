"""`python -m mlops_cli.git_cmd`: what the Git pipelines' CodeBuild projects run (buildspecs/git-*.yml)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from mlops_cli.aws import Aws, aws_options, env_option
from mlops_cli.errors import EXIT_PROBLEMS
from mlops_cli.git_changes import changed_manifests, check_all, git, junit_report, tracked_manifests
from mlops_cli.git_publish import Target, publish_context, publish_version

_FILTERS_HELP = "Comma-separated path globs the pipeline watches (config git.path_filters)"


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@click.group("git")
def git_group() -> None:
    """Validate and publish a repository of manifests (run by the Git pipelines' builds)."""


@git_group.command("validate")
@click.option("--base", required=True, help="The branch a pull request merges into, e.g. origin/main")
@click.option("--report", type=click.Path(path_type=Path), required=True, help="JUnit XML report to write")
@env_option("--path-filters", "MLOPS_GIT_PATH_FILTERS", _FILTERS_HELP, required=True)
@env_option("--image-accounts", "MLOPS_IMAGE_ACCOUNTS", "Accounts custom images may come from")
@aws_options
def validate(aws: Aws, base: str, report: Path, path_filters: str, image_accounts: str | None) -> None:
    """Check the manifests changed since BASE with the register function's rules; exit 1 on problems."""
    repo = Path.cwd()
    paths = changed_manifests(repo, base, _split(path_filters))
    checked = check_all(repo, paths, aws.region_name(), _split(image_accounts))
    report.write_bytes(junit_report(checked))
    for item in checked:
        click.echo(f"{item.path}: {'valid' if not item.problems else f'{len(item.problems)} problem(s)'}")
        for problem in item.problems:
            click.echo(f"  - {problem.path}: found {problem.found}; allowed: {problem.allowed}")
    if not checked:
        click.echo(f"no manifest under {path_filters} changed since {base}")
    if any(item.problems for item in checked):
        raise click.exceptions.Exit(EXIT_PROBLEMS)


@git_group.command("publish")
@env_option("--bucket", "MLOPS_REGISTRY_BUCKET", "Registry bucket", required=True)
@env_option("--path-filters", "MLOPS_GIT_PATH_FILTERS", _FILTERS_HELP, required=True)
@env_option("--image-accounts", "MLOPS_IMAGE_ACCOUNTS", "Accounts custom images may come from")
@aws_options
def publish(aws: Aws, bucket: str, path_filters: str, image_accounts: str | None) -> None:
    """Push every new model version and image build context of the checkout; exit 1 if any is refused."""
    repo = Path.cwd()
    target = Target(aws.client("s3"), bucket, aws.region_name(), _split(image_accounts))
    refused = 0
    steps: list[tuple[Callable[[Target, Path, str], str], str]]
    steps = [(publish_version, path) for path in tracked_manifests(repo, _split(path_filters))]
    steps += [(publish_context, folder) for folder in image_folders(repo)]
    for step, path in steps:
        try:
            click.echo(step(target, repo, path))
        except ValueError as error:
            refused += 1
            click.echo(f"refused: {error}", err=True)
    if refused:
        click.echo(f"{refused} of {len(steps)} could not be published", err=True)
        raise click.exceptions.Exit(EXIT_PROBLEMS)


def image_folders(repo: Path) -> list[str]:
    """Folders under images/ that hold a tracked Dockerfile."""
    listed = (git(repo, "ls-files", "-z", "--", "images") or "").split("\0")
    return sorted(path.rpartition("/")[0] for path in listed if path.endswith("/Dockerfile"))


if __name__ == "__main__":
    git_group()
