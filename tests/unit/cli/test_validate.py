"""`mlops validate` applies the register function's checks offline."""

import json
from pathlib import Path

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
    assert result.exit_code == 1 and "- $: found not JSON" in result.output


def test_custom_image_must_be_in_the_region(run):
    result = run("validate", EXAMPLES / "async.json", "--region", "eu-west-1")
    assert result.exit_code == 1
    assert "- image_uri: found '123456789012.dkr.ecr.us-east-1" in result.output
    assert "an ECR image in eu-west-1" in result.output


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
