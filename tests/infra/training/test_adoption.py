"""Package adoption in config/training.toml: what starts it, what it may read and write, and nothing more."""

import json

from lambdas.package_adoption import settings
from mlops_audit.acknowledgements import AckStatus, check_acknowledgements
from tests.conftest import SynthesizedApp
from tests.infra.iam_helpers import granting, resources_of, role_statements, text
from tests.infra.training.conftest import TrainingApp

HANDLER = "lambdas.package_adoption.handler.lambda_handler"


def adoption_function(app: TrainingApp) -> tuple[str, dict]:
    (found,) = [
        (k, r) for k, r in resources_of(app.template, "AWS::Lambda::Function").items()
        if r["Properties"]["Handler"] == HANDLER
    ]  # fmt: skip
    return found


def test_only_completed_packages_of_the_named_group_start_it(training_app: TrainingApp) -> None:
    function_id, _ = adoption_function(training_app)
    (rule,) = [
        r for r in resources_of(training_app.template, "AWS::Events::Rule").values()
        if function_id in json.dumps(r["Properties"]["Targets"])
    ]  # fmt: skip
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.sagemaker"],
        "detail-type": ["SageMaker Model Package State Change"],
        "detail": {"ModelPackageStatus": ["Completed"], "ModelPackageGroupName": ["churn-team-pipeline"]},
    }


def test_its_environment_names_the_group_s_target_and_the_artifact_bucket(training_app: TrainingApp) -> None:
    _, function = adoption_function(training_app)
    variables = function["Properties"]["Environment"]["Variables"]

    groups = json.loads(variables[settings.ENV_GROUPS])
    assert groups["churn-team-pipeline"]["model_name"] == "churn-external"
    assert variables[settings.ENV_ARTIFACT_BUCKETS] == "ml-models-example"
    assert variables[settings.ENV_BY_TAG] == "false"


def test_it_reads_only_the_named_group_and_bucket_and_writes_only_models_and_its_reports(
    training_app: TrainingApp,
) -> None:
    _, function = adoption_function(training_app)
    role = function["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = role_statements(training_app.template, role)

    describes = granting(statements, "sagemaker:DescribeModelPackage")
    assert [text(s["Resource"]) for s in describes] == [text(describes[0]["Resource"])]
    assert "model-package/churn-team-pipeline/*" in text(describes[0]["Resource"])
    reads = " ".join(text(s["Resource"]) for s in granting(statements, "s3:GetObject"))
    assert "s3:::ml-models-example/*" in reads and "ml-data-example" not in reads
    writes = " ".join(text(s["Resource"]) for s in granting(statements, "s3:PutObject"))
    assert "/models/*" in writes and "/rejected/adoption/*" in writes and "ml-models-example" not in writes
    assert granting(statements, "s3:DeleteObject") == [] and granting(statements, "sagemaker:ListTags") == []


def test_every_acknowledgement_of_the_training_app_accepts_a_finding(training_app: TrainingApp) -> None:
    stale = [a for a in check_acknowledgements(training_app.outdir) if a.status is AckStatus.STALE]
    assert stale == []


def test_the_default_config_adopts_nothing(synthesized_app: SynthesizedApp) -> None:
    template = json.loads(next(synthesized_app.outdir.glob("*-Tooling.template.json")).read_text())
    assert [k for k in template["Resources"] if k.startswith("Adoption")] == []
