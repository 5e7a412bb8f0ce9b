"""cfn-lint and checkov over every synthesized template: zero errors, zero warnings, zero failed checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"


def test_cfn_lint_reports_nothing(synthesized_app):
    templates = [str(path) for path in synthesized_app.template_files()]
    assert templates, "no templates were synthesized"
    cfn_lint = Path(sys.executable).parent / "cfn-lint"

    result = subprocess.run([str(cfn_lint), *templates], capture_output=True, text=True, check=False)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def run_checkov(directory: Path, config_file: Path = REPO_ROOT / ".checkov.yaml") -> dict:
    """checkov's JSON report over every template below the folder, with the given config."""
    result = subprocess.run(
        [str(CHECKOV), "--config-file", str(config_file), "-d", str(directory), "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    assert result.stdout, result.stderr
    output = json.loads(result.stdout)
    return output if isinstance(output, dict) else output[0]


def test_checkov_has_no_failed_check_and_every_skip_has_a_reason(synthesized_app):
    report = run_checkov(synthesized_app.outdir)

    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["passed"] > 0
    for skipped in report["results"].get("skipped_checks", []):
        assert skipped["check_result"].get("suppress_comment"), skipped["check_id"]


def test_checkov_catches_an_unencrypted_bucket(tmp_path):
    template = {"Resources": {"Plain": {"Type": "AWS::S3::Bucket", "Properties": {}}}}
    (tmp_path / "plain.template.json").write_text(json.dumps(template))

    report = run_checkov(tmp_path)

    assert "CKV_AWS_18" in {c["check_id"] for c in report["results"]["failed_checks"]}
