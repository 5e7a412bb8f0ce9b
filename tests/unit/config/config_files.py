"""Config texts the config tests build on, and writing one where load_config reads it."""

from pathlib import Path

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
