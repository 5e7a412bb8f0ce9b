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


def test_the_local_loop_it_describes_exists():
    from mlops_config import load_config
    from stacks.training_specs import load_training_specs

    # the flag, the status options and the config the doc names are the ones the project has
    demo_help = CliRunner().invoke(cli, ["local", "demo", "--help"]).output
    status_help = CliRunner().invoke(cli, ["status", "--help"]).output
    assert "`mlops local demo --retrain`" in DOC and "--retrain" in demo_help
    assert "--reports-bucket" in DOC and "--reports-bucket" in status_help
    config = load_config(REPO_ROOT / "config" / "local-training.toml")
    assert config.training is not None
    names = {loaded.spec.model_name for loaded in load_training_specs(config.training, REPO_ROOT)}
    assert {"breast-cancer", "bc-lenient"} <= names and "`bc-lenient`" in DOC
