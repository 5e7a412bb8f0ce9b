"""docs/training.md: it describes every field of the spec and its command really validates the example."""

import json
import re
import shlex

from click.testing import CliRunner

from mlops_cli.main import cli
from mlops_training.job import JobKind
from scripts.generate_schemas import render
from tests.conftest import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "training.md").read_text(encoding="utf-8")


def test_every_top_level_field_and_job_kind_is_described():
    fields = set(json.loads(render("training-spec"))["properties"])
    named = set(re.findall(r"`([a-z_]+)`", DOC))
    assert not (fields | set(JobKind)) - named


def test_the_commands_of_the_doc_validate_the_example(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    blocks = re.findall(r"```bash\n(.*?)```", DOC, flags=re.DOTALL)
    commands = [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]
    assert commands
    for command in commands:
        assert command[0] == "mlops"
        result = CliRunner().invoke(cli, command[1:])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("valid")
