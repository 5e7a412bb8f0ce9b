"""`mlops validate` applies the register function's checks offline."""

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_valid_example_prints_valid_and_the_image(run):
    result = run("validate", EXAMPLES / "realtime.json", "--region", "eu-west-1")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid")
    assert ".dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1" in result.output


def test_every_problem_is_listed_with_path_found_and_allowed(run, tmp_path):
    document = json.loads((EXAMPLES / "realtime.json").read_text())
    document["model_name"] = "not a name"
    document["deployment"]["canary_percent"] = 90
    del document["owner"]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(document))
    result = run("validate", path)
    assert result.exit_code == 1
    assert "3 problem(s)" in result.output
    assert "- model_name: found 'not a name'; allowed:" in result.output
    assert "- deployment.canary_percent: found 90; allowed:" in result.output
    assert "- owner: found (missing); allowed:" in result.output
    assert "valid" not in result.output.replace("problem", "")


def test_not_json(run, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("{nope")
    result = run("validate", path)
    assert result.exit_code == 1
    assert (
        "- $: found not valid JSON: Expecting property name enclosed in double quotes at line 1"
        in result.output
    )


@pytest.mark.parametrize(
    ("options", "exit_code", "expected"),
    [
        pytest.param(
            ("--region", "eu-west-1"),
            1,
            ("- image_uri: found '123456789012.dkr.ecr.us-east-1", "an ECR image in eu-west-1"),
            id="image-outside-the-region",
        ),
        pytest.param(
            ("--region", "us-east-1", "--image-accounts", "111122223333"),
            1,
            (
                "- image_uri: found an image in account 123456789012; allowed:",
                "registry.image_accounts: 111122223333",
            ),
            id="image-account-not-allowed",
        ),
        pytest.param(
            ("--region", "us-east-1", "--image-accounts", "123456789012"), 0, (), id="image-account-allowed"
        ),
    ],
)
def test_custom_image_is_checked_against_region_and_allowed_accounts(run, options, exit_code, expected):
    result = run("validate", EXAMPLES / "async.json", *options)
    assert result.exit_code == exit_code, result.output
    assert [line for line in expected if line not in result.output] == []


def test_utf16_manifest_names_its_encoding(run, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_bytes((EXAMPLES / "realtime.json").read_text().encode("utf-16"))
    result = run("validate", path)
    assert result.exit_code == 1
    assert "found a file encoded as UTF-16 little-endian with a byte order mark" in result.output
    assert "saved as UTF-8 without a byte order mark" in result.output


def test_oversize_manifest_reports_its_real_size(run, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_bytes(b"{" + b" " * 3_000_000 + b"}")
    result = run("validate", path)
    assert result.exit_code == 1
    assert "found a manifest of 3000002 bytes (2.86 MiB); allowed: at most 1048576 bytes" in result.output


def test_framework_version_unknown_to_the_image_table(run, tmp_path):
    document = json.loads((EXAMPLES / "realtime.json").read_text())
    document["framework_version"] = "0.1-9"
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(document))
    result = run("validate", path)
    assert (
        result.exit_code == 1
        and "- framework_version: found '0.1-9'; allowed: a xgboost version" in result.output
    )
