"""docs/deploying.md: every command a platform team is told to run is one the project really accepts."""

import re
import shlex

import pytest

from mlops_cli.main import cli
from mlops_config import load_config
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "deploying.md"
MAKE_TARGETS = set(re.findall(r"^([a-z-]+):", (REPO_ROOT / "Makefile").read_text(), flags=re.MULTILINE))


def commands() -> list[list[str]]:
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    return [shlex.split(re.sub(r"<[^>]+>", "PLACEHOLDER", line)) for line in lines]


def test_the_doc_has_commands():
    assert len(commands()) >= 8


@pytest.mark.parametrize("command", [c for c in commands() if c[0] == "mlops"], ids=" ".join)
def test_mlops_commands_parse(command, monkeypatch, tmp_path):
    # Parsing (not running) proves every option and argument exists, with the doc's exported variables.
    monkeypatch.setenv("MLOPS_REGISTRY_BUCKET", "registry")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.tar.gz").write_bytes(b"")
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    with cli.make_context("mlops", ["--help"], resilient_parsing=True) as parent:
        subcommand = cli.get_command(parent, command[1])
        assert subcommand is not None, command[1]
        with subcommand.make_context(command[1], command[2:], parent=parent) as context:
            assert context.params


@pytest.mark.parametrize("command", [c for c in commands() if c[:2] == ["npx", "cdk"]], ids=" ".join)
def test_cdk_commands_name_a_real_config(command):
    assert command[2] in {"synth", "bootstrap", "deploy"}
    for value in [command[i + 1] for i, arg in enumerate(command) if arg == "-c"]:
        key, path = value.split("=", 1)
        assert key == "config"
        load_config(REPO_ROOT / path)


def test_other_commands_are_known():
    for command in commands():
        if command[0] == "make":
            assert command[1] in MAKE_TARGETS
        else:
            assert command[0] in {"mlops", "npx", "export"}, command
