"""Config texts the config tests build on, and writing one where load_config reads it."""

from pathlib import Path

import pytest

from mlops_config import ConfigError, OrchestratorConfig, load_config

# The two stages every minimal config declares.
STAGES = """
[[stages]]
name = "staging"

[[stages]]
name = "production"
production = true
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write a config file holding `text` and return its path."""
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def load(tmp_path: Path, text: str) -> OrchestratorConfig:
    """Load a config of the two stages plus `text`."""
    return load_config(write(tmp_path, STAGES + text))


def refused(tmp_path: Path, text: str) -> str:
    """The message of the ConfigError the two stages plus `text` raise."""
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    return str(error.value)
