"""docs/multi-account.md: its commands parse, name the example config, and name stacks that config makes."""

import re
import shlex

import click
import pytest

from mlops_cli.main import cli
from mlops_config import load_config
from mlops_config.targets import (
    identity_stack_name,
    region_stack_name,
    remote_regions,
    remote_targets,
    target_stack_name,
    tooling_stack_name,
)
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "multi-account.md"


def commands() -> list[list[str]]:
    """The command lines of the bash blocks: continuations joined, $CONFIG and <placeholders> filled."""
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    text = "\n".join(blocks).replace("\\\n", " ")
    assignments = dict(re.findall(r"^(\w+)=(\S+)$", text, flags=re.MULTILINE))
    lines = [re.sub(r"#.*", "", line).strip() for line in text.splitlines()]
    found = []
    for line in lines:
        if not line or re.fullmatch(r"\w+=\S+", line):
            continue
        for name, value in assignments.items():
            line = line.replace(f"${name}", value)
        found.append(shlex.split(re.sub(r"<[^>]+>", "PLACEHOLDER", line)))
    return found


def test_the_doc_has_its_commands():
    heads = {tuple(c[:3]) if c[0] == "npx" else tuple(c[:2]) for c in commands()}
    assert {
        ("npx", "cdk", "bootstrap"),
        ("npx", "cdk", "deploy"),
        ("mlops", "preflight"),
        ("mlops", "drift"),
    } <= heads


@pytest.mark.parametrize("command", [c for c in commands() if c[0] == "mlops"], ids=" ".join)
def test_mlops_commands_parse(command):
    with cli.make_context("mlops", ["--help"], resilient_parsing=True) as parent:
        subcommand = cli.get_command(parent, command[1])
        assert subcommand is not None, command[1]
        name, args = command[1], command[2:]
        if isinstance(subcommand, click.Group):  # `mlops local demo ...`: the group's own command
            parent = subcommand.make_context(name, [args[0]], parent=parent, resilient_parsing=True)
            name, subcommand, args = args[0], subcommand.get_command(parent, args[0]), args[1:]
            assert subcommand is not None, name
        with subcommand.make_context(name, args, parent=parent) as context:
            assert context.params


def test_deploy_commands_name_the_example_config_and_its_stacks():
    deploys = [c for c in commands() if c[:3] == ["npx", "cdk", "deploy"]]
    assert deploys
    for command in deploys:
        config_path = command[command.index("-c") + 1].removeprefix("config=")
        config = load_config(REPO_ROOT / config_path)
        stacks = {identity_stack_name(config), tooling_stack_name(config)}
        stacks |= {target_stack_name(config, t.placement) for t in remote_targets(config)}
        stacks |= {region_stack_name(config, region) for region in remote_regions(config)}
        named = [arg for arg in command[command.index("-c") + 2 :] if not arg.startswith("-")]
        assert set(named) <= stacks, named
