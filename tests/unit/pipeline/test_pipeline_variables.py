"""Pipeline variables: names match the blueprint's parameters; every value satisfies their constraints."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lambdas.common.instance_types import has_local_storage
from lambdas.common.pipeline_variables import (
    ASYNC_OUTPUT_SUPERSEDED,
    BLUEPRINT_VARIABLES,
    DEFAULTS,
    PIPELINE_VARIABLES,
    VariablesError,
    as_pipeline_variables,
    parse_pipeline_names,
    variables_for,
)
from mlops_contract.blueprint_parameters import parameter_specs
from mlops_contract.pipeline import META_VARIABLES, NONE
from mlops_manifest.inference import InferenceType
from tests.unit.pipeline.details import registered_detail, with_manifest_changes

# Parameters the platform sets per stage; the pipeline passes them itself, not from variables.
PLATFORM_FIXED = {
    "StageName",
    "ExecutionRoleArn",
    "ModelRoleBoundaryArn",
    "NotificationTopicArn",
    "KmsKeyArn",
    "DataCaptureS3Uri",
    "SubnetIds",
    "SecurityGroupIds",
    "TerminationWaitSeconds",
    "MaximumExecutionTimeoutSeconds",
    "BaselineBucketName",
    "DriftCheckFunctionArn",
    "DriftSchedulerRoleArn",
    "ScheduleGroupName",
    "QualityCheckFunctionArn",
    "ReportsBucketName",
}
# Where the "none" sentinel may appear; the blueprint must treat it as "not set" (see the report).
SENTINEL_ALLOWED = {
    "AsyncSuccessTopicArn",
    "AsyncErrorTopicArn",
    "CaptureCsvContentTypes",
    "CaptureJsonContentTypes",
    "BaselineProfileKey",
    "QualityScheduleExpression",
    "ModelMonitorStatisticsKey",
    "ModelMonitorConstraintsKey",
}
# The blueprint's QualityScheduleExpression constraint (mlops_contract/blueprint_parameters.py).
QUALITY_SCHEDULE_PATTERN = r"^(none|(rate|cron)\(.+\))$"
EXAMPLE_TYPES = {
    "realtime": InferenceType.REALTIME,
    "async": InferenceType.ASYNC,
    "serverless": InferenceType.SERVERLESS,
}


def blueprint_specs(kind: InferenceType) -> dict[str, dict[str, Any]]:
    """The blueprint's parameters for one inference type with Model Monitor on (a superset of off)."""
    return parameter_specs(kind, model_monitor=True)


def violations(value: str, spec: dict[str, Any]) -> list[str]:
    """How a value breaks a CloudFormation parameter spec (empty: it is accepted)."""
    problems = []
    if "allowed_values" in spec and value not in [str(v) for v in spec["allowed_values"]]:
        problems.append(f"{value!r} not in {spec['allowed_values']}")
    if "allowed_pattern" in spec and not re.fullmatch(spec["allowed_pattern"], value):
        problems.append(f"{value!r} does not match {spec['allowed_pattern']}")
    if not spec.get("min_length", 0) <= len(value) <= spec.get("max_length", 4096):
        problems.append(f"{value!r} has a length outside the allowed range")
    if spec.get("type") == "Number":
        number = float(value)
        if not spec.get("min_value", -1e18) <= number <= spec.get("max_value", 1e18):
            problems.append(f"{value} outside [{spec.get('min_value')}, {spec.get('max_value')}]")
    return problems


@pytest.mark.parametrize("kind", list(BLUEPRINT_VARIABLES))
def test_variable_names_are_the_model_specific_blueprint_parameters(kind):
    expected = (
        set(blueprint_specs(kind))
        - PLATFORM_FIXED
        - set(META_VARIABLES)
        - {"ImageUri", "ModelDataUrl", "ServingProgram"}
        - {
            "ContainerInferenceInput",
            "ContainerInferenceOutput",
            "ContainerInferenceSupported",
            "ContainerDefaultAccept",
            "ContainerMaxContentLength",
            "ContainerModelName",
            "ContainerLogLevel",
        }
    )

    assert set(BLUEPRINT_VARIABLES[kind]) == expected
    assert len(BLUEPRINT_VARIABLES[kind]) == len(expected)  # no duplicates
    assert PIPELINE_VARIABLES[kind] == BLUEPRINT_VARIABLES[kind] + META_VARIABLES


def test_batch_has_no_pipeline_variables():
    assert InferenceType.BATCH not in PIPELINE_VARIABLES


@pytest.mark.parametrize("example", sorted(EXAMPLE_TYPES))
def test_every_value_of_every_example_satisfies_the_blueprint(example):
    kind = EXAMPLE_TYPES[example]
    values = variables_for(registered_detail(example))

    assert list(values) == list(PIPELINE_VARIABLES[kind])
    specs = blueprint_specs(kind)
    problems = {name: violations(values[name], specs[name]) for name in BLUEPRINT_VARIABLES[kind]}
    assert {name: found for name, found in problems.items() if found} == {}
    assert all(values.values()), "CodePipeline refuses empty values"
    assert {name for name, value in values.items() if value == NONE} <= SENTINEL_ALLOWED


@pytest.mark.parametrize("kind", list(DEFAULTS))
def test_defaults_declare_every_variable_with_a_valid_value(kind):
    specs = blueprint_specs(kind)

    assert list(DEFAULTS[kind]) == list(PIPELINE_VARIABLES[kind])
    assert all(DEFAULTS[kind].values())
    assert {
        n: violations(v, specs[n])
        for n, v in DEFAULTS[kind].items()
        if n in specs and violations(v, specs[n])
    } == {}


def test_realtime_example_values():
    values = variables_for(registered_detail("realtime"))

    assert values == {
        "ModelName": "churn-xgb",
        "ModelVersion": "2025-11-26.1",
        # No ImageUri or ModelDataUrl: each stage's resolve action takes them from the registration record.
        "Http5xxRatePercent": "1",
        "ModelLatencyMilliseconds": "500",
        "InvocationErrorsThreshold": "10",
        "InstanceType": "ml.m5.xlarge",
        "InstanceCount": "2",
        "InstanceStorageIsLocal": "false",
        "DataCaptureEnabled": "true",
        "CaptureSamplingPercent": "25",
        "CaptureCsvContentTypes": "text/csv",
        "CaptureJsonContentTypes": "application/json",
        "AutoscalingEnabled": "true",
        "MinCapacity": "2",
        "MaxCapacity": "6",
        "DeploymentStrategy": "CANARY",
        "TrafficShiftPercent": "10",
        "BakeSeconds": "900",
        "TargetInvocationsPerInstance": "200",
        # examples/realtime.json: schedule, psi and ks given; js, chi-square and missing rate default.
        "DriftScheduleExpression": "rate(1 hour)",
        "DriftPsi": "0.2",
        "DriftKs": "0.1",
        "DriftJs": "0.1",
        "DriftPValue": "0.05",
        "DriftMissingRate": "0.05",
        # examples/realtime.json: monitoring.quality.schedule.
        "QualityScheduleExpression": "rate(6 hours)",
        # examples/realtime.json: a baseline dataset, no Model Monitor statistics.
        "ModelMonitorStatisticsKey": NONE,
        "ModelMonitorConstraintsKey": NONE,
        "ModelPackageArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb/1",
        "ManifestBucket": "registry-bucket",
        "ManifestKey": "models/churn-xgb/2025-11-26.1/manifest.json",
        "InferenceType": "realtime",
        "BaselineProfileKey": "baselines/churn-xgb/2025-11-26.1/profile.json",
        "Comparison": "none (not produced by a training run)",  # an upload has no lineage
    }


def test_a_trained_versions_comparison_becomes_the_approval_line():
    detail = registered_detail("realtime")
    detail["comparison"] = {
        "metric": "f1",
        "challenger_score": 0.87654,
        "champion_version": "churn-250101-060000",
        "champion_score": 0.9,
        "held_out_sha256": "a" * 64,
        "verdict": "worse",
    }

    values = variables_for(detail)

    assert values["Comparison"] == (
        "worse than champion churn-250101-060000: f1 0.8765 vs 0.9000 on the same held-out data"
    )


def test_a_malformed_comparison_shows_as_none_rather_than_failing_the_deployment():
    detail = registered_detail("realtime") | {"comparison": {"metric": "f1"}}

    assert variables_for(detail)["Comparison"] == "none (not produced by a training run)"


def test_async_example_values():
    values = variables_for(registered_detail("async"))

    assert values["InstanceStorageIsLocal"] == "true"  # ml.g5 has local NVMe storage
    assert (values["DeploymentStrategy"], values["TrafficShiftPercent"], values["BakeSeconds"]) == (
        "LINEAR",
        "25",
        "600",
    )
    assert (values["MinCapacity"], values["MaxCapacity"], values["AutoscalingEnabled"]) == ("0", "4", "true")
    assert values["MaxConcurrentInvocationsPerInstance"] == "2"
    # Manifests may name neither an output path nor topics: each stage writes to its own prefix.
    assert values["AsyncOutputS3Uri"] == ASYNC_OUTPUT_SUPERSEDED
    assert (values["AsyncSuccessTopicArn"], values["AsyncErrorTopicArn"]) == (NONE, NONE)
    assert (values["CaptureSamplingPercent"], values["Http5xxRatePercent"]) == ("20", "1")
    assert values["QualityScheduleExpression"] == NONE  # examples/async.json has no quality section


def test_serverless_example_values_have_no_instance_settings():
    values = variables_for(registered_detail("serverless"))

    assert (values["MemorySizeInMB"], values["MaxConcurrency"]) == ("4096", "20")
    assert values["BaselineProfileKey"] == NONE  # monitoring is off in this manifest
    assert "InstanceType" not in values and "DeploymentStrategy" not in values
    assert "QualityScheduleExpression" not in values


def test_quality_schedule_is_independent_of_drift_monitoring():
    quality = {"problem_type": "regression", "thresholds": {"rmse": {"max": 2.5}}}
    defaulted = with_manifest_changes("realtime", monitoring={"quality": quality})
    cron = with_manifest_changes(
        "realtime", monitoring={"quality": quality | {"schedule": "cron(0 6 * * ? *)"}}
    )

    assert variables_for(defaulted)["QualityScheduleExpression"] == "rate(1 day)"
    assert variables_for(defaulted)["BaselineProfileKey"] == NONE  # drift stays off
    assert variables_for(cron)["QualityScheduleExpression"] == "cron(0 6 * * ? *)"


@pytest.mark.parametrize(
    "schedule", ["rate(1 day)", "rate(15 minutes)", "cron(0 6 * * ? *)", "cron(0/30 * * * ? *)"]
)
def test_quality_schedule_values_match_the_blueprint_pattern(schedule):
    quality = {"problem_type": "regression", "schedule": schedule}
    value = variables_for(with_manifest_changes("realtime", monitoring={"quality": quality}))[
        "QualityScheduleExpression"
    ]
    unset = variables_for(with_manifest_changes("realtime", monitoring={}))["QualityScheduleExpression"]

    assert value == schedule and re.fullmatch(QUALITY_SCHEDULE_PATTERN, value)
    assert unset == NONE and re.fullmatch(QUALITY_SCHEDULE_PATTERN, unset)
    spec = blueprint_specs(InferenceType.REALTIME)["QualityScheduleExpression"]
    assert violations(value, spec) == [] and violations(unset, spec) == []


def test_model_monitor_baseline_keys_when_drift_monitoring_is_enabled():
    statistics = "models/churn-xgb/monitor/statistics.json"
    constraints = "datasets/churn/constraints.json"
    monitoring = {"enabled": True, "baseline_statistics_key": statistics}
    both = variables_for(
        with_manifest_changes("realtime", monitoring=monitoring | {"baseline_constraints_key": constraints})
    )
    statistics_only = variables_for(with_manifest_changes("realtime", monitoring=monitoring))
    disabled = variables_for(with_manifest_changes("realtime", monitoring=monitoring | {"enabled": False}))

    assert (both["ModelMonitorStatisticsKey"], both["ModelMonitorConstraintsKey"]) == (
        "models/churn-xgb/monitor/statistics.json",
        "datasets/churn/constraints.json",
    )
    assert (statistics_only["ModelMonitorStatisticsKey"], statistics_only["ModelMonitorConstraintsKey"]) == (
        "models/churn-xgb/monitor/statistics.json",
        "none",
    )
    # Disabled monitoring: the manifest checks do not vet the keys, so the blueprint gets none.
    assert (disabled["ModelMonitorStatisticsKey"], disabled["ModelMonitorConstraintsKey"]) == ("none", "none")


def test_serverless_has_no_model_monitor_variables():
    assert "ModelMonitorStatisticsKey" not in variables_for(registered_detail("serverless"))


def test_no_autoscaling_pins_capacity_to_the_instance_count():
    detail = with_manifest_changes("realtime", inference={"type": "realtime", "initial_instance_count": 3})

    values = variables_for(detail)

    assert (values["AutoscalingEnabled"], values["MinCapacity"], values["MaxCapacity"]) == ("false", "3", "3")
    assert values["TargetInvocationsPerInstance"] == "100"


def test_async_without_topics_or_autoscaling_uses_the_sentinel_and_default_backlog():
    inference = {"type": "async", "autoscaling": None}
    values = variables_for(with_manifest_changes("async", inference=inference))

    assert (values["AsyncSuccessTopicArn"], values["AsyncErrorTopicArn"]) == (NONE, NONE)
    assert values["TargetBacklogPerInstance"] == "5"


def test_linear_and_all_at_once_shift_sizes_and_fractional_alarm_threshold():
    deployment = {
        "strategy": "linear",
        "linear_step_percent": 30,
        "bake_minutes": 0,
        "rollback_alarms": {"http_5xx_rate_percent": 0.5},
    }
    linear = variables_for(with_manifest_changes("realtime", deployment=deployment))
    at_once = variables_for(with_manifest_changes("realtime", deployment={"strategy": "all_at_once"}))

    assert (linear["DeploymentStrategy"], linear["TrafficShiftPercent"], linear["BakeSeconds"]) == (
        "LINEAR",
        "30",
        "0",
    )
    assert linear["Http5xxRatePercent"] == "0.5"
    assert at_once["DeploymentStrategy"] == "ALL_AT_ONCE" and 1 <= int(at_once["TrafficShiftPercent"]) <= 50


def test_capture_off_and_several_content_types():
    capture = {
        "enabled": False,
        "sampling_percent": 0,
        "json_content_types": ["application/json", "application/jsonlines"],
    }
    values = variables_for(with_manifest_changes("realtime", data_capture=capture, monitoring={}))

    assert (values["DataCaptureEnabled"], values["CaptureSamplingPercent"]) == ("false", "0")
    assert values["CaptureJsonContentTypes"] == "application/json,application/jsonlines"


@pytest.mark.parametrize(
    ("instance_type", "local"),
    [
        ("ml.m5.large", False),
        ("ml.m5d.large", True),
        ("ml.g4dn.xlarge", True),
        ("ml.g5.2xlarge", True),
        ("ml.p4d.24xlarge", True),
        ("ml.c5.xlarge", False),
        ("ml.inf2.xlarge", False),
        ("ml.m6id.large", True),
    ],
)
def test_local_storage_instance_types(instance_type, local):
    assert has_local_storage(instance_type) is local


def test_problems_are_all_listed():
    detail = registered_detail("realtime")
    detail.update(model_name="m" * 43, model_package_arn="", manifest={"bucket": "b"})

    with pytest.raises(VariablesError) as raised:
        variables_for(detail)

    assert len(raised.value.problems) == 3
    assert any("model_name: 43 characters" in p for p in raised.value.problems)
    assert "model_package_arn: missing or empty" in raised.value.problems
    assert "manifest.key: missing or empty" in raised.value.problems


def test_schema_problems_name_the_field():
    detail = registered_detail("realtime")
    detail["deployment"] = {"strategy": "blue-green"}

    with pytest.raises(VariablesError, match=r"strategy"):
        variables_for(detail)


def test_batch_detail_is_refused():
    with pytest.raises(VariablesError, match="batch models have no deployment pipeline"):
        variables_for(registered_detail("batch"))


def test_as_pipeline_variables_shape():
    assert as_pipeline_variables({"A": "1", "B": "x"}) == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": "x"},
    ]


def test_pipeline_names_must_cover_every_pipeline_type():
    assert (
        parse_pipeline_names('{"realtime": "r", "serverless": "s", "async": "a"}')[InferenceType.ASYNC] == "a"
    )
    with pytest.raises(ValueError, match="async"):
        parse_pipeline_names('{"realtime": "r", "serverless": "s"}')
    with pytest.raises(ValueError, match="JSON object"):
        parse_pipeline_names('["r"]')
