"""Every command has complete help; every error is one clear line, a non-zero exit and no traceback."""

import pytest

COMMANDS = {
    "validate": ["MANIFEST", "--region"],
    "push": ["ARTIFACT", "--manifest", "--bucket", "--write-digest", "MLOPS_REGISTRY_BUCKET"],
    "status": ["MODEL", "--version", "--pipeline", "--stages", "--endpoint-name-format", "--reports-bucket"],
    "drift": ["ENDPOINT", "--reports-bucket", "--out", "MLOPS_REPORTS_BUCKET"],
    "approve": ["MODEL", "VERSION", "--comment", "--api"],
    "reject": ["MODEL", "VERSION", "--comment", "--api"],
    "rollback": ["MODEL", "--comment", "--api"],
}


def test_top_level_help_lists_every_command(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    assert "--api URL" in result.output and "MLOPS_API_URL" in result.output


@pytest.mark.parametrize("step", ["validate", "publish"])
def test_the_git_pipelines_steps_are_mlops_subcommands(run, step):
    result = run("git", step, "--help")

    assert result.exit_code == 0 and "--path-filters" in result.output


@pytest.mark.parametrize(("command", "words"), COMMANDS.items())
def test_command_help(run, command, words):
    result = run(command, "--help")
    assert result.exit_code == 0
    for word in [*words, "--endpoint-url", "--region", "--profile"]:
        assert word in result.output, word


def assert_one_line_error(result, exit_code, *fragments):
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_validate_missing_file_exits_2(run, tmp_path):
    assert_one_line_error(run("validate", tmp_path / "nope.json"), 2, "manifest not found", "nope.json")


def test_validate_directory_exits_2(run, tmp_path):
    assert_one_line_error(run("validate", tmp_path), 2, "not a file")


def test_push_missing_artifact_exits_2(run, demo, tmp_path):
    result = run("push", tmp_path / "model.tar.gz", "--manifest", demo.manifest, "--bucket", "b")
    assert_one_line_error(result, 2, "artifact not found")


@pytest.mark.parametrize(
    "args",
    [
        ["status", "some-model"],
        ["drift", "some-endpoint", "--reports-bucket", "reports"],
    ],
)
def test_unreachable_endpoint_is_one_clear_line(run, closed_port_url, args):
    result = run(*args, "--endpoint-url", closed_port_url)
    assert_one_line_error(result, 1, "cannot reach", closed_port_url)


def test_push_to_unreachable_endpoint(run, demo, closed_port_url):
    result = run(
        "push", demo.artifact, "--manifest", demo.manifest, "--bucket", "b", "--endpoint-url", closed_port_url
    )
    assert_one_line_error(result, 1, "cannot reach")


def test_missing_required_bucket_is_a_usage_error(run, demo, monkeypatch):
    monkeypatch.delenv("MLOPS_REGISTRY_BUCKET", raising=False)
    result = run("push", demo.artifact, "--manifest", demo.manifest)
    assert result.exit_code == 2 and "--bucket" in result.stderr


CONFIG_COMMANDS = [("preflight",), ("status", "churn-model")]


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_a_missing_config_file_exits_2(run, tmp_path, command):
    result = run(*command, "--config", tmp_path / "nope.toml", "--region", "us-east-1")
    assert_one_line_error(result, 2, "config file not found", "nope.toml")


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_an_invalid_config_file_exits_1_with_the_config_error(run, tmp_path, command):
    config = tmp_path / "bad.toml"
    config.write_text("[stages\n")
    result = run(*command, "--config", config, "--region", "us-east-1")
    assert result.exit_code == 1 and "Traceback" not in result.output + result.stderr
    assert result.stderr.startswith("Error: ") and "bad.toml: not valid TOML" in result.stderr, result.stderr
