"""The multi-account example puts each thing in its account: stacks, checks, data, the stage roles' reach."""

import json
import subprocess
import sys
from pathlib import Path

from tests.infra.test_template_checks import run_checkov

PROJECT = "MlopsOrchestrator"


def _functions_by_handler(template):
    return {
        r["Properties"]["Handler"].split(".")[1]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
    }


def test_one_stack_per_account_placement_in_deploy_order(multi_account_app):
    assert multi_account_app.environments == {
        f"{PROJECT}-PipelineIdentity": "aws://111111111111/eu-west-1",
        f"{PROJECT}-Stage-222222222222-eu-west-1": "aws://222222222222/eu-west-1",
        f"{PROJECT}-Stage-222222222222-us-east-1": "aws://222222222222/us-east-1",
        f"{PROJECT}-Stage-333333333333-eu-west-1": "aws://333333333333/eu-west-1",
        f"{PROJECT}-PipelineArtifacts-us-east-1": "aws://111111111111/us-east-1",
        f"{PROJECT}-Tooling": "aws://111111111111/eu-west-1",
    }
    manifest = json.loads((multi_account_app.outdir / "manifest.json").read_text())["artifacts"]
    tooling_needs = set(manifest[f"{PROJECT}-Tooling"]["dependencies"])
    assert f"{PROJECT}-PipelineIdentity" in tooling_needs
    for stage_stack in (f"{PROJECT}-Stage-222222222222-eu-west-1", f"{PROJECT}-Stage-333333333333-eu-west-1"):
        assert f"{PROJECT}-PipelineIdentity" in manifest[stage_stack]["dependencies"]
    # The regional artifact store names the stage roles of its region, and the tooling pipelines use it.
    regional = f"{PROJECT}-PipelineArtifacts-us-east-1"
    assert f"{PROJECT}-Stage-222222222222-us-east-1" in manifest[regional]["dependencies"]
    assert regional in tooling_needs


def test_checks_and_captured_data_live_in_the_stage_accounts_not_in_tooling(multi_account_app):
    tooling = multi_account_app.template(f"{PROJECT}-Tooling")
    production = multi_account_app.template(f"{PROJECT}-Stage-333333333333-eu-west-1")

    assert {"drift_check", "model_quality", "smoke_test"} <= _functions_by_handler(production)
    assert not {"drift_check", "model_quality", "smoke_test"} & _functions_by_handler(tooling)
    tooling_types = {r["Type"] for r in tooling["Resources"].values()}
    assert "AWS::Scheduler::ScheduleGroup" not in tooling_types
    groups = [r for r in production["Resources"].values() if r["Type"] == "AWS::Scheduler::ScheduleGroup"]
    assert [g["Properties"]["Name"] for g in groups] == [f"{PROJECT}-production"]


def test_the_pre_production_account_cannot_reach_production(multi_account_app):
    pre_production = multi_account_app.template(f"{PROJECT}-Stage-222222222222-eu-west-1")
    policies = json.dumps(
        [
            r
            for r in pre_production["Resources"].values()
            if r["Type"] in ("AWS::IAM::Policy", "AWS::IAM::Role")
        ]
    )

    assert "333333333333" not in policies
    assert "-production" not in policies
    assert "stack/mlops-*-qa/*" in policies and "stack/mlops-*-staging/*" in policies


def test_pipeline_actions_run_each_stage_in_its_own_account(multi_account_app):
    tooling = multi_account_app.template(f"{PROJECT}-Tooling")
    pipelines = [r for r in tooling["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"]
    assert len(pipelines) == 3
    expected = {
        "Qa": "222222222222",
        "Staging": "222222222222",
        "Staging-us": "222222222222",
        "Production": "333333333333",
    }
    deploy_roles = {
        logical_id[:-8].removesuffix("RolesDeploy").replace("Stagingus", "Staging-us"): resource[
            "Properties"
        ]["RoleName"]
        for stack, template in multi_account_app.templates().items()
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::IAM::Role" and logical_id[:-8].endswith("RolesDeploy")
    }
    assert sorted(deploy_roles) == sorted(expected)

    for pipeline in pipelines:
        for stage in pipeline["Properties"]["Stages"]:
            for action in stage["Actions"]:
                role = action.get("RoleArn")
                if action["Name"] in ("CopyArtifact", "Deploy", "SmokeTest"):
                    account, name = expected[stage["Name"]], deploy_roles[stage["Name"]]
                    assert role == f"arn:aws:iam::{account}:role/{name}", action
                else:  # approvals, resolve and finalize stay in the tooling account
                    assert isinstance(role, dict), action


def test_cfn_lint_and_checkov_pass_the_multi_account_templates(multi_account_app):
    templates = sorted(str(p) for p in multi_account_app.outdir.glob("*.template.json"))
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    lint = subprocess.run([str(cfn_lint), *templates], capture_output=True, text=True, check=False)
    report = run_checkov(multi_account_app.outdir)

    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")
    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []


def test_people_get_a_readable_line_for_each_forwarded_finding_or_alarm(multi_account_app):
    tooling = multi_account_app.template(f"{PROJECT}-Tooling")["Resources"].values()
    notify = [
        r["Properties"]
        for r in tooling
        if r["Type"] == "AWS::Events::Rule"
        and "Notify the platform team" in r["Properties"].get("Description", "")
    ]
    templates = {
        rule["EventPattern"]["source"][0]: rule["Targets"][0]["InputTransformer"]["InputTemplate"]
        for rule in notify
        if "InputTransformer" in rule["Targets"][0]
    }

    assert set(templates) == {"mlops.orchestrator", "aws.cloudwatch"}
    assert "model <detail-model_name> <detail-model_version>" in templates["mlops.orchestrator"]
    assert "Alarm <detail-alarmName> is <detail-state-value>" in templates["aws.cloudwatch"]
    assert all("in account <account>" in text for text in templates.values())


def test_the_api_knows_which_stages_it_cannot_see(multi_account_app, synthesized_app):
    def api_environment(template):
        (function,) = [
            r for r in template["Resources"].values()
            if r["Type"] == "AWS::Lambda::Function"
            and r["Properties"]["Handler"] == "lambdas.provisioning_api.handler.lambda_handler"
        ]  # fmt: skip
        return function["Properties"]["Environment"]["Variables"]

    remote = api_environment(multi_account_app.template("MlopsOrchestrator-Tooling"))["REMOTE_STAGE_ACCOUNTS"]
    assert remote == "qa=222222222222,staging=222222222222,staging-us=222222222222,production=333333333333"
    single = json.loads(next(synthesized_app.outdir.glob("*-Tooling.template.json")).read_text())
    assert "REMOTE_STAGE_ACCOUNTS" not in api_environment(single)
