"""Loads a TOML deployment config and turns validation failures into one readable error."""

import tomllib
from pathlib import Path

from pydantic import ValidationError

from mlops_config.model import OrchestratorConfig


class ConfigError(Exception):
    """A deployment config that cannot be used; the message names every bad field."""


def load_config(path: Path) -> OrchestratorConfig:
    """Read and validate the config file at `path`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"config file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    try:
        return OrchestratorConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_describe(path, error)) from error


def _describe(path: Path, error: ValidationError) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in the deployment config:"]
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(top level)"
        found = "" if item["type"] == "missing" else f" (found {item['input']!r})"
        lines.append(f"  - {field}: {item['msg']}{found}")
    return "\n".join(lines)
