"""The buildspecs under buildspecs/: valid YAML of the shape CodeBuild reads, and their shell does its job."""

import os
import re
import stat
import subprocess

import pytest

from mlops_config.delivery import Severity
from mlops_constructs.build_project import BUILDSPECS, load_buildspec
from mlops_contract.image_contexts import CONTEXT_KEY_PATTERN
from tests.conftest import REPO_ROOT

NAMES = ("git-validate", "git-publish", "image-build")


def commands(name):
    spec = load_buildspec(name)
    return [command for phase in spec["phases"].values() for command in phase.get("commands", [])]


@pytest.mark.parametrize("name", NAMES)
def test_each_buildspec_is_version_0_2_with_known_phases_and_string_commands(name):
    spec = load_buildspec(name)

    assert spec["version"] == 0.2
    assert set(spec["phases"]) <= {"install", "pre_build", "build", "post_build"}
    assert commands(name) and all(isinstance(command, str) for command in commands(name))


def test_the_git_buildspecs_run_the_cli_steps():
    assert any(
        "mlops_cli.git_cmd validate" in c and "--report mlops-validate.xml" in c
        for c in commands("git-validate")
    )
    assert load_buildspec("git-validate")["reports"]["validation"]["files"] == ["mlops-validate.xml"]
    assert any("mlops_cli.git_cmd publish" in c for c in commands("git-publish"))


def test_the_image_buildspec_pushes_waits_for_the_scan_and_gates_on_severity():
    text = "\n".join(commands("image-build"))

    for needed in (
        "docker build",
        "docker push",
        "aws ecr wait image-scan-complete",
        "describe-image-scan-findings",
    ):
        assert needed in text


def test_the_cli_requirements_carry_the_projects_own_pins():
    pins = {}
    for path in REPO_ROOT.glob("requirements*.txt"):
        for line in path.read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                name, version = line.split("==")
                pins[name.strip().lower()] = version.strip()
    cli = (BUILDSPECS / "requirements-cli.txt").read_text().splitlines()
    wanted = dict(line.split("==") for line in cli if "==" in line and not line.startswith("#"))

    assert wanted and all(pins[name.lower()] == version for name, version in wanted.items())


def bash(script, env, path_dir=None):
    path = f"{path_dir}{os.pathsep}{os.environ['PATH']}" if path_dir else os.environ["PATH"]
    return subprocess.run(["bash", "-c", script], env={**env, "PATH": path}, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("key", "tag"),
    [
        ("images/churn-serve/1.0/context.tar.gz", "churn-serve-1.0"),
        ("images/Churn/1.0/context.tar.gz", None),
        ("images/churn/../context.tar.gz", None),
        ("images/churn/1.0/other.tar.gz", None),
    ],
)
def test_the_context_key_check_accepts_only_context_keys_and_names_the_tag(key, tag):
    (check,) = [c for c in commands("image-build") if "MLOPS_CONTEXT_KEY_PATTERN" in c]
    (export,) = [c for c in commands("image-build") if c.startswith("export IMAGE_TAG")]
    env = {"MLOPS_CONTEXT_KEY": key, "MLOPS_CONTEXT_KEY_PATTERN": CONTEXT_KEY_PATTERN}

    result = bash(f'{check}\n{export}\necho "$IMAGE_TAG"', env)

    assert (result.stdout.strip() if result.returncode == 0 else None) == tag
    assert tag is not None or "is not images/<name>/<tag>/context.tar.gz" in result.stdout


@pytest.fixture
def fake_aws(tmp_path):
    """An `aws` that reports 2 HIGH and 5 LOW findings and records every call."""
    script = tmp_path / "aws"
    script.write_text(
        '#!/bin/bash\necho "$*" >> "$CALLS"\n'
        'case "$*" in *findingSeverityCounts.HIGH*) echo 2;; *findingSeverityCounts.LOW*) echo 5;; '
        "*describe-image-scan-findings*) echo None;; esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return tmp_path


@pytest.mark.parametrize(
    ("threshold", "fails"),
    [(Severity.CRITICAL, False), (Severity.HIGH, True), (Severity.MEDIUM, True)],
)
def test_the_severity_gate_fails_and_deletes_the_image_at_or_above_the_threshold(fake_aws, threshold, fails):
    (gate,) = [c for c in commands("image-build") if "blocking=0" in c]
    env = {
        "CALLS": str(fake_aws / "calls"),
        "MLOPS_BLOCKING_SEVERITIES": " ".join(s.value for s in threshold.and_above()),
        "MLOPS_FAIL_ON_SEVERITY": threshold.value,
        "MLOPS_IMAGE_REPOSITORY_NAME": "images",
        "IMAGE_TAG": "churn-1",
        "IMAGE_URI": "111111111111.dkr.ecr.eu-west-1.amazonaws.com/images:churn-1",
    }

    result = bash(gate, env, str(fake_aws))

    assert (result.returncode != 0) is fails
    deleted = "batch-delete-image" in (fake_aws / "calls").read_text()
    assert deleted is fails
    if fails:
        assert re.search(rf"2 finding\(s\) at or above {threshold.value}", result.stdout)
