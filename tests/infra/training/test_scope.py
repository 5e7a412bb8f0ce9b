"""What the churn pipeline's roles may touch, what starts it, and that the templates stay clean."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SynthesizedApp
from tests.infra.iam_helpers import as_list, granting, resources_of, role_statements, text
from tests.infra.test_template_checks import run_checkov
from tests.infra.training.conftest import TrainingApp

DATA = "s3:::ml-data-example/"


def test_the_job_role_reads_only_the_specs_prefixes_and_its_reports_folder(training_app: TrainingApp) -> None:
    statements = role_statements(training_app.template, "TrainingchurnJobRole")
    reads = [text(r) for s in granting(statements, "s3:GetObject") for r in as_list(s["Resource"])]
    assert all(DATA in r or "/training/churn/*" in r for r in reads), reads
    assert any("datasets/churn/train/*" in r for r in reads)
    writes = [text(r) for s in granting(statements, "s3:PutObject") for r in as_list(s["Resource"])]
    assert sorted("checkpoints" in w for w in writes) == [False, True]
    assert all("checkpoints/churn/*" in w or "/training/churn/*" in w for w in writes), writes


def test_the_state_machine_controls_only_this_models_tuning_jobs(training_app: TrainingApp) -> None:
    statements = role_statements(training_app.template, "TrainingchurnStateMachineRole")
    (create,) = granting(statements, "sagemaker:CreateHyperParameterTuningJob")
    assert text(create["Resource"]).endswith(':hyper-parameter-tuning-job/churn-*"]]}')
    assert granting(statements, "sagemaker:CreateTrainingJob") == []
    passes = granting(statements, "iam:PassRole")
    assert passes and all(s["Condition"]["StringEquals"]["iam:PassedToService"] == "sagemaker.amazonaws.com"
                          for s in passes)  # fmt: skip
    assert all("TrainingchurnJobRole" in text(s["Resource"]) for s in passes)


def test_drift_on_the_lifecycle_bus_starts_a_drift_run_of_this_model(training_app: TrainingApp) -> None:
    rules = resources_of(training_app.template, "AWS::Events::Rule")
    (drift,) = [r for k, r in rules.items() if k.startswith("TrainingchurnTriggersDriftRule")]
    pattern = drift["Properties"]["EventPattern"]
    assert pattern["detail-type"] == ["ModelDriftDetected"] and pattern["detail"] == {"model_name": ["churn"]}
    (bus,) = resources_of(training_app.template, "AWS::Events::EventBus")
    assert drift["Properties"]["EventBusName"] == {"Ref": bus}
    assert json.loads(drift["Properties"]["Targets"][0]["Input"]) == {"trigger": "drift"}


def test_new_data_under_the_prefix_starts_a_new_data_run(training_app: TrainingApp) -> None:
    rules = resources_of(training_app.template, "AWS::Events::Rule")
    (new_data,) = [r for k, r in rules.items() if k.startswith("TrainingchurnTriggersNewDataRule")]
    detail = new_data["Properties"]["EventPattern"]["detail"]
    assert detail == {
        "bucket": {"name": ["ml-data-example"]},
        "object": {"key": [{"prefix": "datasets/churn/incoming/"}]},
    }
    assert "EventBusName" not in new_data["Properties"]  # S3 events arrive on the default bus
    assert json.loads(new_data["Properties"]["Targets"][0]["Input"]) == {"trigger": "new_data"}


def test_the_schedule_starts_a_schedule_run_with_the_specs_expression(training_app: TrainingApp) -> None:
    (schedule,) = resources_of(training_app.template, "AWS::Scheduler::Schedule").values()
    assert schedule["Properties"]["ScheduleExpression"] == "cron(0 6 1 * ? *)"
    assert json.loads(schedule["Properties"]["Target"]["Input"]) == {"trigger": "schedule"}
    assert "TrainingchurnStateMachine" in text(schedule["Properties"]["Target"]["Arn"])


def test_the_state_machine_is_traced_logged_and_encrypted(training_app: TrainingApp) -> None:
    machines = resources_of(training_app.template, "AWS::StepFunctions::StateMachine")
    (machine,) = [r for k, r in machines.items() if k.startswith("TrainingchurnStateMachine")]
    properties = machine["Properties"]
    assert properties["TracingConfiguration"] == {"Enabled": True}
    assert properties["LoggingConfiguration"]["Level"] == "ALL"
    assert properties["EncryptionConfiguration"]["Type"] == "CUSTOMER_MANAGED_KMS_KEY"


def test_cfn_lint_and_checkov_report_nothing(training_app: TrainingApp) -> None:
    templates = [str(p) for p in training_app.outdir.glob("*.template.json")]
    lint = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), *templates], capture_output=True, text=True
    )
    assert (lint.returncode, lint.stdout) == (0, "")
    report = run_checkov(training_app.outdir)
    assert report["results"]["failed_checks"] == [] and report["summary"]["passed"] > 0


def test_the_default_config_has_no_training_pipeline(synthesized_app: SynthesizedApp) -> None:
    template = json.loads(next(synthesized_app.outdir.glob("*-Tooling.template.json")).read_text())
    assert [k for k in template["Resources"] if k.startswith("Training")] == []
    assert resources_of(template, "AWS::Scheduler::Schedule") == {}
