"""`mlops mwo convert`: an MWO /provisionpipeline body becomes a manifest offline, or exits 1 naming why."""

import json

from click.testing import CliRunner

from mlops_cli.main import cli
from tests.unit.api.mwo_bodies import SHA, byom


def convert(tmp_path, body, *args):
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    return CliRunner().invoke(cli, ["mwo", "convert", str(path), "--bucket", "registry", *args])


def test_a_byom_body_prints_the_manifest_and_where_to_copy_the_artifact(tmp_path):
    out = tmp_path / "manifest.json"
    result = convert(tmp_path, byom("byom_realtime_builtin"), "--owner", "ana", "--out", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.stdout)
    assert (manifest["model_name"], manifest["version"], manifest["owner"]) == ("churn", "v1", "ana")
    assert manifest["artifact"]["sha256"] == SHA
    assert manifest["inference"]["instance_type"] == "ml.m5.large"
    assert json.loads(out.read_text()) == manifest
    assert "-> s3://registry/models/churn/v1/model.tar.gz" in result.stderr


def test_field_problems_are_each_named_and_exit_1(tmp_path):
    body = byom("byom_realtime_builtin")
    body["inference_instance"] = 5
    del body["model_name"]
    result = convert(tmp_path, body)
    assert result.exit_code == 1
    assert "- model_name: found (missing)" in result.stdout
    assert "- inference_instance: found" in result.stdout


def test_an_mwo_type_not_mapped_names_what_to_use_instead(tmp_path):
    result = convert(tmp_path, {"pipeline_type": "model_autopilot_training"})
    assert result.exit_code == 1
    assert "job.kind automl" in result.stdout
