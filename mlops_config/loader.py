"""Loads a TOML deployment config and turns validation failures into one readable error."""

import json
import tomllib
from pathlib import Path

from pydantic import ValidationError

from mlops_config.model import OrchestratorConfig
from mlops_config.words import config_problems


class ConfigError(Exception):
    """A deployment config that cannot be used; the message names every bad field."""


def load_config(path: Path) -> OrchestratorConfig:
    """Read and validate the config file at `path`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise ConfigError(f"config file not found: {path}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start}); save the file as UTF-8") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    try:
        # Strict, as JSON: TOML has its own booleans and numbers, so "yes" for a boolean, 1.5 for a count
        # or "3" for a number is a mistake to name, not to convert. TOML dates become text (no field takes
        # one).
        return OrchestratorConfig.model_validate_json(json.dumps(raw, default=str), strict=True)
    except ValidationError as error:
        lines = config_problems(error)
        header = f"{path}: {len(lines)} problem(s) in the deployment config:"
        raise ConfigError("\n".join([header, *(f"  - {line}" for line in lines)])) from error
