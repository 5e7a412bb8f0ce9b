"""The deployment config a command names with --config, read with CLI-shaped errors."""

from __future__ import annotations

from pathlib import Path

from mlops_cli.errors import BadPathError, CliError
from mlops_config import ConfigError, OrchestratorConfig, load_config


def read_config(path: Path) -> OrchestratorConfig:
    """The validated config at `path`: a missing file is a usage error (exit 2), an invalid one exit 1."""
    if not path.is_file():
        raise BadPathError(f"config file not found: {path}")
    try:
        return load_config(path)
    except ConfigError as error:
        raise CliError(str(error)) from error
