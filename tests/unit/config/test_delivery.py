"""The optional [git] and [image_builder] tables: absent by default, every bad value refused by field."""

import pytest

from mlops_config import load_config
from mlops_config.delivery import Severity
from tests.conftest import REPO_ROOT
from tests.unit.config.config_files import load, refused

ARN = "arn:aws:codeconnections:eu-west-1:111111111111:connection/0f8e2a4c-5b1d-4c3e-9a7f-2d6b8e1c4f90"
GIT = f'[git]\nconnection_arn = "{ARN}"\nrepository = "org/models"\n'


def test_both_tables_are_absent_from_the_shipped_default_config():
    config = load_config(REPO_ROOT / "config" / "default.toml")

    assert config.git is None
    assert config.image_builder is None


def test_the_worked_example_configures_both():
    config = load_config(REPO_ROOT / "config" / "git-provisioning.toml")

    assert config.git is not None and config.git.repository == "example-org/ml-models"
    assert config.image_builder is not None and config.image_builder.fail_on_severity is Severity.HIGH


def test_a_git_table_gets_defaults_for_branch_and_filters(tmp_path):
    git = load(tmp_path, GIT).git

    assert git is not None
    assert git.default_branch == "main"
    assert "models/**/manifest.json" in git.path_filters


@pytest.mark.parametrize(
    "service", ["codestar-connections", "codeconnections"], ids=["codestar", "codeconnections"]
)
def test_both_connection_arn_forms_are_accepted(tmp_path, service):
    git = load(tmp_path, GIT.replace("codeconnections", service)).git

    assert git is not None and f":{service}:" in git.connection_arn


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GIT.replace(ARN, "arn:aws:codecommit:eu-west-1:111111111111:repo"), "git.connection_arn"),
        (GIT.replace("connection/0f8e", "connection/zz8e"), "git.connection_arn"),
        (GIT.replace('"org/models"', '"models"'), "git.repository"),
        (GIT.replace('"org/models"', '"org/my models"'), "git.repository"),
        (GIT + 'default_branch = "feature..x"\n', "git.default_branch"),
        (GIT + "path_filters = []\n", "git.path_filters"),
        (GIT + 'path_filters = ["/abs/**"]\n', "git.path_filters[0]"),
        (GIT + 'path_filters = ["a/**", "a/**"]\n', "git.path_filters"),
        (GIT.replace("repository", "repo"), "git.repo"),
        ('[git]\nrepository = "org/models"\n', "git.connection_arn"),
    ],
    ids=[
        "codecommit-arn",
        "bad-uuid",
        "no-owner",
        "space",
        "dotdot-branch",
        "no-filter",
        "absolute-glob",
        "repeated-glob",
        "unknown-field",
        "no-connection",
    ],
)
def test_a_bad_git_value_is_refused_naming_its_field(tmp_path, text, field):
    message = refused(tmp_path, text)

    assert f"  - {field}:" in message


def test_more_than_eight_path_filters_are_refused(tmp_path):
    globs = ", ".join(f'"d{i}/**"' for i in range(9))

    assert "  - git.path_filters:" in refused(tmp_path, f"{GIT}path_filters = [{globs}]\n")


def test_a_connection_outside_the_tooling_region_is_refused(tmp_path):
    text = '[environment]\naccount = "111111111111"\nregion = "us-east-1"\n' + GIT

    message = refused(tmp_path, text)

    assert "git.connection_arn is in eu-west-1 but the tooling region is us-east-1" in message


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('fail_on_severity = "SEVERE"', "image_builder.fail_on_severity"),
        ('fail_on_severity = "INFORMATIONAL"', "image_builder.fail_on_severity"),
        ("keep_images = 0", "image_builder.keep_images"),
        ("keep_images = 1001", "image_builder.keep_images"),
        ('enabled = "maybe"', "image_builder.enabled"),
        ("scan = true", "image_builder.scan"),
    ],
    ids=["unknown-severity", "informational", "keep-none", "keep-too-many", "enabled-text", "unknown-field"],
)
def test_a_bad_image_builder_value_is_refused_naming_its_field(tmp_path, text, field):
    message = refused(tmp_path, f"[image_builder]\n{text}\n")

    assert f"  - {field}:" in message


def test_the_severity_gate_covers_the_threshold_and_everything_more_severe():
    assert Severity.CRITICAL.and_above() == (Severity.CRITICAL,)
    assert Severity.MEDIUM.and_above() == (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM)
    assert set(Severity.LOW.and_above()) == set(Severity)
