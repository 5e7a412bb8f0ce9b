"""The Git provisioning example passes every gate the default app passes; the default app is unchanged."""

import subprocess
import sys
from pathlib import Path

from mlops_audit.acknowledgements import AckStatus, check_acknowledgements
from tests.infra.test_template_checks import run_checkov


def test_synthesis_passed_every_compliance_pack_and_no_acknowledgement_is_stale(git_app):
    # The fixture's synth raises on any unacknowledged finding; a stale acknowledgement hides nothing.
    checked = check_acknowledgements(git_app.outdir)

    assert [f"{a.resource} {a.rule}" for a in checked if a.status is AckStatus.STALE] == []
    assert any("GitProvisioning" in a.resource or "ImageBuilder" in a.resource for a in checked)


def test_cfn_lint_reports_nothing(git_app):
    templates = [str(path) for path in git_app.outdir.glob("*.template.json")]
    cfn_lint = Path(sys.executable).parent / "cfn-lint"

    result = subprocess.run([str(cfn_lint), *templates], capture_output=True, text=True, check=False)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_checkov_has_no_failed_check(git_app):
    report = run_checkov(git_app.outdir)

    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []
    for skipped in report["results"].get("skipped_checks", []):
        assert skipped["check_result"].get("suppress_comment"), skipped["check_id"]


def test_the_default_config_synthesizes_neither_pipelines_on_a_connection_nor_a_repository(synthesized_app):
    tooling = synthesized_app.template("Tooling").to_json()["Resources"]
    kinds = {resource["Type"] for resource in tooling.values()}

    assert "AWS::ECR::Repository" not in kinds and "AWS::CodeBuild::Project" not in kinds
    assert "CodeStarSourceConnection" not in str(tooling)
