"""Per-model roles across accounts: stages sharing an account stay apart; the registry reads them by path."""

import json

from tests.infra.iam_evaluation import allowed, managed_policy_arn, role_statements

PRE_PRODUCTION = "MlopsOrchestrator-Stage-222222222222-eu-west-1"


def _stage(app, stage):
    template = app.template(PRE_PRODUCTION)
    name = f"{PRE_PRODUCTION}.template.json"
    statements = role_statements(name, template, f"{stage.capitalize()}RolesCloudFormationExecution")
    return statements, managed_policy_arn(name, template, f"{stage.capitalize()}RolesModelRoleBoundary")


def test_staging_cannot_create_or_pass_qas_roles_in_the_shared_account(multi_account_app):
    statements, boundary = _stage(multi_account_app, "staging")
    own, qa = (f"arn:aws:iam::222222222222:role/mlops/{stage}/model" for stage in ("staging", "qa"))
    bounded = {"iam:PermissionsBoundary": boundary}
    to_sagemaker = {"iam:PassedToService": "sagemaker.amazonaws.com"}
    assert allowed(statements, "iam:CreateRole", own, **bounded)
    assert not allowed(statements, "iam:CreateRole", qa, **bounded)
    assert allowed(statements, "iam:PassRole", own, **to_sagemaker)
    assert not allowed(statements, "iam:PassRole", qa, **to_sagemaker)


def test_staging_cannot_create_a_role_with_qas_boundary(multi_account_app):
    statements, _ = _stage(multi_account_app, "staging")
    _, qa_boundary = _stage(multi_account_app, "qa")
    own = "arn:aws:iam::222222222222:role/mlops/staging/model"
    assert not allowed(statements, "iam:CreateRole", own, **{"iam:PermissionsBoundary": qa_boundary})


def test_the_registry_lets_stage_accounts_read_artifacts_only_as_their_model_roles(multi_account_app):
    tooling = multi_account_app.template("MlopsOrchestrator-Tooling")["Resources"]
    (policy,) = [
        r for k, r in tooling.items() if r["Type"] == "AWS::S3::BucketPolicy" and "ModelRegistry" in k
    ]
    reads = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
        and "/artifacts/sha256/*" in json.dumps(s["Resource"])
        and any(account in json.dumps(s["Principal"]) for account in ("222222222222", "333333333333"))
        and str(s["Principal"].get("AWS")).endswith(":root")  # not the second region's copy function
    ]
    narrowed = {s["Principal"]["AWS"]: s["Condition"]["ArnLike"]["aws:PrincipalArn"] for s in reads}
    assert narrowed == {
        "arn:aws:iam::222222222222:root": [
            "arn:aws:iam::222222222222:role/mlops/qa/*",
            "arn:aws:iam::222222222222:role/mlops/staging/*",
        ],
        "arn:aws:iam::333333333333:root": ["arn:aws:iam::333333333333:role/mlops/production/*"],
    }
    assert all(s["Action"] == "s3:GetObject" for s in reads)
