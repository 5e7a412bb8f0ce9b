"""SageMaker Model Monitor with stages in other accounts: each stage deploys its schedules and runs the jobs
there, reading baselines from the tooling registry through policies that name its SageMaker role."""

import pytest
from aws_cdk import App

from mlops_audit.acknowledgements import AckStatus, check_acknowledgements
from mlops_config import load_config
from mlops_config.targets import stage_accounts
from stacks.orchestrator_app import build_app, feature_flags
from tests.infra.iam_helpers import granting, resources_of, role_statements, text
from tests.infra.multi_account.conftest import MULTI_ACCOUNT, MultiAccountApp

TOOLING = "MlopsOrchestrator-Tooling"
STAGE_STACKS = {"222222222222": "MlopsOrchestrator-Stage-222222222222-eu-west-1",
                "333333333333": "MlopsOrchestrator-Stage-333333333333-eu-west-1"}  # fmt: skip


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory) -> MultiAccountApp:
    """The worked example with `[monitoring] sagemaker_model_monitor = true` (the compliance gate runs)."""
    example = load_config(MULTI_ACCOUNT)
    config = example.model_copy(
        update={"monitoring": example.monitoring.model_copy(update={"sagemaker_model_monitor": True})}
    )
    outdir = tmp_path_factory.mktemp("multi-account-model-monitor.out")
    build_app(App(outdir=str(outdir), context=feature_flags()), config).synth()
    return MultiAccountApp(outdir, config)


def test_every_stage_s_cloudformation_role_may_manage_monitoring_schedules(
    monitored: MultiAccountApp,
) -> None:
    for stack in STAGE_STACKS.values():
        template = monitored.template(stack)
        roles = [k for k in resources_of(template, "AWS::IAM::Role") if "CloudFormation" in k]
        assert roles
        for role in roles:
            schedules = granting(role_statements(template, role), "sagemaker:CreateMonitoringSchedule")
            assert schedules and "monitoring-schedule/*" in text(schedules)


def test_the_jobs_read_tooling_baselines_and_write_only_their_own_account_s_reports(
    monitored: MultiAccountApp,
) -> None:
    tooling_account = monitored.config.environment.account
    for stack in STAGE_STACKS.values():
        template = monitored.template(stack)
        (reports,) = [k for k in resources_of(template, "AWS::S3::Bucket") if k.startswith("DataReports")]
        for role in [k for k in resources_of(template, "AWS::IAM::Role") if "SageMakerExecution" in k]:
            statements = role_statements(template, role)
            baselines = [
                s for s in granting(statements, "s3:GetObject") if "*/datasets/*" in text(s["Resource"])
            ]
            assert baselines and all(
                s["Condition"] == {"StringEquals": {"s3:ResourceAccount": tooling_account}} for s in baselines
            )
            writes = text(granting(statements, "s3:PutObject"))
            assert "model-monitor/*" in writes and reports in writes


def test_the_registry_policy_names_each_stage_s_sagemaker_role_for_baselines(
    monitored: MultiAccountApp,
) -> None:
    tooling = monitored.template(TOOLING)
    (policy,) = [
        r
        for k, r in resources_of(tooling, "AWS::S3::BucketPolicy").items()
        if k.startswith("RegistryModelRegistry")
    ]
    readers = [
        s["Principal"]["AWS"] for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if "/datasets/*" in text(s["Resource"])
    ]  # fmt: skip
    assert sorted({reader.split(":")[4] for reader in readers}) == sorted(stage_accounts(monitored.config))
    assert len(readers) == len(monitored.config.stages) and all(
        ":role/" in reader and "gemakerexecution" in reader for reader in readers
    )


def test_the_stage_templates_hold_every_acknowledgement_they_need_and_no_more(
    monitored: MultiAccountApp,
) -> None:
    checked = check_acknowledgements(monitored.outdir)

    assert [f"{a.resource} {a.rule}" for a in checked if a.status is AckStatus.STALE] == []
    assert sum(1 for a in checked if a.status is AckStatus.MATCHED) > 100
