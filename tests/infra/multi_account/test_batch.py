"""Production in its own account: the batch workflow runs there, beside production's data, and tooling lets
exactly its roles in."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.infra.iam_evaluation import allowed, role_statements
from tests.infra.iam_helpers import resources_of

TOOLING = "MlopsOrchestrator-Tooling"
PRODUCTION = "MlopsOrchestrator-Stage-333333333333-eu-west-1"


def machines(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        k: r for k, r in resources_of(template, "AWS::StepFunctions::StateMachine").items() if "Batch" in k
    }


@pytest.fixture(scope="module")
def production(multi_account_app) -> dict[str, Any]:
    return multi_account_app.template(PRODUCTION)


@pytest.fixture(scope="module")
def tooling(multi_account_app) -> dict[str, Any]:
    return multi_account_app.template(TOOLING)


def test_the_workflow_is_built_in_productions_target_stack_and_nowhere_else(multi_account_app):
    placed = {name: len(machines(t)) for name, t in multi_account_app.templates().items()}
    assert {name for name, count in placed.items() if count} == {PRODUCTION}
    assert placed[PRODUCTION] == 1


def test_it_checks_the_package_with_the_tooling_accounts_resolve_function(production, tooling):
    (machine,) = machines(production).values()
    definition = "".join(
        p if isinstance(p, str) else "" for p in machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    )
    (resolve,) = [
        k
        for k in resources_of(tooling, "AWS::Lambda::Function")
        if k.startswith("DeploymentFunctionsResolve")
    ]
    name = resources_of(tooling, "AWS::Lambda::Function")[resolve]["Properties"]["FunctionName"]
    assert f'"FunctionName":"arn:aws:lambda:eu-west-1:111111111111:function:{name}"' in definition


def test_only_the_workflows_role_may_invoke_the_check_across_accounts(production, tooling):
    (role,) = [k for k in resources_of(production, "AWS::IAM::Role") if k.startswith("BatchTransformRole")]
    role_name = resources_of(production, "AWS::IAM::Role")[role]["Properties"]["RoleName"]
    granted = [
        p["Properties"]
        for p in resources_of(tooling, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"].startswith("arn:aws:iam::333333333333:")
    ]
    assert granted == [
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": granted[0]["FunctionName"],
            "Principal": f"arn:aws:iam::333333333333:role/{role_name}",
        }
    ]
    assert granted[0]["FunctionName"]["Fn::GetAtt"][0].startswith("DeploymentFunctionsResolve")


def test_the_batch_role_reads_and_writes_only_productions_batch_prefixes(production):
    statements = role_statements(PRODUCTION, production, "BatchRole")
    (bucket,) = [k for k in resources_of(production, "AWS::S3::Bucket") if k.startswith("DataDataCapture")]
    data = f"arn:aws:s3:::{bucket.lower()}"
    assert allowed(statements, "s3:GetObject", f"{data}/batch-input/fraud-scoring/daily/x.csv")
    assert allowed(statements, "s3:PutObject", f"{data}/batch-output/fraud-scoring/run-1/x.out")
    assert not allowed(statements, "s3:GetObject", f"{data}/capture/x.jsonl")
    assert not allowed(statements, "s3:PutObject", f"{data}/batch-input/fraud-scoring/daily/x.csv")


def test_tooling_opens_registered_artifacts_and_images_to_the_batch_role_only(production, tooling):
    roles = resources_of(production, "AWS::IAM::Role")
    (role,) = [k for k in roles if k.startswith("BatchRole")]
    arn = f"arn:aws:iam::333333333333:role/{roles[role]['Properties']['RoleName']}"
    named = [
        statement
        for resource in tooling["Resources"].values()
        for document in (
            resource["Properties"].get("PolicyDocument"),
            resource["Properties"].get("RepositoryPolicyText"),
            resource["Properties"].get("KeyPolicy"),
        )
        if isinstance(document, dict)
        for statement in document["Statement"]
        if arn in json.dumps(statement.get("Principal"))
    ]
    assert sorted(s["Sid"] for s in named) == [
        "BatchReadsRegistered0",
        "BatchReadsRegisteredKey",
        "BatchTransformPull",
    ]
    (read,) = [s for s in named if s["Sid"] == "BatchReadsRegistered0"]
    assert (read["Action"], read["Resource"]["Fn::Join"][1][1]) == ("s3:GetObject", "/artifacts/sha256/*")


def test_outcomes_are_announced_on_productions_bus_and_notified_from_tooling(production, tooling):
    (machine,) = machines(production).values()
    definition = json.dumps(machine["Properties"]["DefinitionString"])
    assert definition.count(":states:::events:putEvents") == 2 and "sns:publish" not in definition
    rules = [
        r["Properties"]
        for k, r in resources_of(tooling, "AWS::Events::Rule").items()
        if k.startswith("RemoteBatch")
    ]
    (rule,) = rules
    assert rule["EventPattern"]["detail-type"] == ["Batch Transform Succeeded", "Batch Transform Failed"]
    assert rule["EventPattern"]["account"] == ["333333333333"]


def test_the_batch_note_names_productions_state_machine(production, tooling):
    (machine,) = machines(production).values()
    name = machine["Properties"]["StateMachineName"]
    (start,) = [
        r["Properties"]
        for k, r in resources_of(tooling, "AWS::Lambda::Function").items()
        if "StartDeployment" in k
    ]
    assert start["Environment"]["Variables"]["BATCH_WORKFLOW_ARN"] == (
        f"arn:aws:states:eu-west-1:333333333333:stateMachine:{name}"
    )


def test_the_generic_stage_notice_leaves_batch_outcomes_to_their_own_rule(tooling):
    # Otherwise each outcome would reach people twice, once as a model and endpoint notice without either
    (generic,) = [
        r["Properties"]["EventPattern"]
        for k, r in resources_of(tooling, "AWS::Events::Rule").items()
        if k.startswith("RemoteStagesNotifyOrchestrator")
    ]
    assert generic["detail-type"] == [
        {"anything-but": ["Batch Transform Succeeded", "Batch Transform Failed"]}
    ]
