"""The deployment config: the shipped files load, and bad configs stop synthesis with a precise message."""

import json
import re

import pytest

from mlops_config import CompliancePack, ConfigError, OrchestratorConfig, load_config
from mlops_config.words import pattern_words
from tests.conftest import REPO_ROOT
from tests.unit.config.config_files import STAGES, write

MULTI = (REPO_ROOT / "config" / "multi-account.toml").read_text()


def test_default_config_is_single_account_and_environment_agnostic():
    config = load_config(REPO_ROOT / "config" / "default.toml")

    assert config.environment.account is None and config.environment.region is None
    assert [stage.name for stage in config.stages] == ["staging", "production"]
    assert all(stage.account is None for stage in config.stages)
    assert set(config.compliance_packs) == {
        CompliancePack.AWS_SOLUTIONS,
        CompliancePack.NIST_800_53_R5,
        CompliancePack.HIPAA_SECURITY,
        CompliancePack.PCI_DSS_321,
    }


def test_multi_account_example_names_an_account_per_stage():
    config = load_config(REPO_ROOT / "config" / "multi-account.toml")

    assert (config.environment.account, config.environment.region) == ("111111111111", "eu-west-1")
    assert {stage.account for stage in config.stages} == {"222222222222", "333333333333"}
    assert {stage.region for stage in config.stages} == {"eu-west-1", "us-east-1"}
    assert config.stages[-1].approval_required


def test_bad_account_id_names_the_stage_field(tmp_path):
    path = write(tmp_path, STAGES.replace('name = "staging"', 'name = "staging"\naccount = "12345"'))

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert "stages[0].account" in str(error.value)
    assert "'12345'" in str(error.value)


def test_unknown_field_is_rejected_with_its_path(tmp_path):
    path = write(tmp_path, STAGES + "\n[registry]\nmax_artifact_gib = 3\n")

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert "registry.max_artifact_gib" in str(error.value)
    assert "no field of this name" in str(error.value)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = write(
        tmp_path, 'project_name = "has spaces"\n' + STAGES + '\n[notifications]\nemails = ["nope"]\n'
    )

    with pytest.raises(ConfigError) as error:
        load_config(path)

    message = str(error.value)
    assert "2 problem(s)" in message
    assert "project_name" in message and "notifications.emails[0]" in message


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ('[[stages]]\nname = "a"\n[[stages]]\nname = "a"\nproduction = true\n', "repeated: a"),
        ('[[stages]]\nname = "staging"\n', "exactly one stage must have production = true"),
        (
            '[[stages]]\nname = "prod"\nproduction = true\n[[stages]]\nname = "late"\n',
            "must be the last stage",
        ),
        ("stages = []\n", "stages"),
    ],
)
def test_stage_list_rules(tmp_path, stages, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, stages))


def test_not_toml_and_missing_file_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "stages = [\n"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "absent.toml")


def test_a_stage_may_deploy_in_another_region_with_its_account(tmp_path):
    text = MULTI.replace(
        'region = "eu-west-1"\napproval_required', 'region = "eu-central-1"\napproval_required'
    )
    assert text != MULTI

    config = load_config(write(tmp_path, text))

    assert (config.stages[-1].account, config.stages[-1].region) == ("333333333333", "eu-central-1")


@pytest.mark.parametrize(
    ("placement", "expected"),
    [
        ('region = "us-east-1"', r"stages\.0\.region \(staging: us-east-1\) is not the tooling region: name"),
        (
            'account = "222222222222"\nregion = "xx-nowhere-9"',
            r"stages\.0\.region \(staging: xx-nowhere-9\) is not a region where SageMaker",
        ),
        (
            'account = "222222222222"\nregion = "cn-north-1"',
            r"stages\.0\.region \(staging: cn-north-1\) is in another AWS partition",
        ),
    ],
)
def test_a_bad_stage_region_is_refused_with_its_field_named(tmp_path, placement, expected):
    tooling = '[environment]\naccount = "111111111111"\nregion = "eu-west-1"\n'
    text = tooling + STAGES.replace('name = "staging"', f'name = "staging"\n{placement}')

    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def test_artifacts_too_large_to_copy_in_one_run_are_refused_with_a_stage_in_another_region(tmp_path):
    assert "[registry]" not in MULTI
    text = MULTI + "\n[registry]\nmax_artifact_mib = 20481\n"

    with pytest.raises(
        ConfigError, match=r"registry\.max_artifact_mib \(20481\) is above 20480 while a stage"
    ):
        load_config(write(tmp_path, text))
    same_region = text.replace('region = "us-east-1"', 'region = "eu-west-1"')
    assert load_config(write(tmp_path, same_region)).registry.max_artifact_mib == 20481


def test_model_monitor_works_with_stages_in_other_accounts(tmp_path):
    config = load_config(write(tmp_path, MULTI + "\n[monitoring]\nsagemaker_model_monitor = true\n"))

    assert config.monitoring.sagemaker_model_monitor is True
    assert {stage.account for stage in config.stages} == {"222222222222", "333333333333"}


def test_registry_approval_only_answers_a_production_approval(tmp_path):
    text = STAGES.replace('name = "staging"', 'name = "staging"\napprove_in_registry = true')

    with pytest.raises(ConfigError, match=r"approve_in_registry needs the production stage .* \['staging'\]"):
        load_config(write(tmp_path, text))


def test_sagemaker_model_monitor_is_off_by_default_and_documented():
    default = load_config(REPO_ROOT / "config" / "default.toml")

    assert default.monitoring.sagemaker_model_monitor is False
    assert "# sagemaker_model_monitor = false" in (REPO_ROOT / "config" / "default.toml").read_text()


def test_sagemaker_model_monitor_can_be_switched_on(tmp_path):
    config = load_config(write(tmp_path, STAGES + "\n[monitoring]\nsagemaker_model_monitor = true\n"))

    assert config.monitoring.sagemaker_model_monitor is True


def test_monitoring_section_rejects_unknown_keys_and_non_booleans(tmp_path):
    text = STAGES + '\n[monitoring]\nsagemaker_model_monitor = "maybe"\nclarify = true\n'

    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))

    assert "monitoring.sagemaker_model_monitor" in str(error.value)
    assert "monitoring.clarify" in str(error.value)


def test_stage_vpc_needs_subnets_and_security_groups_together(tmp_path):
    text = STAGES.replace('name = "staging"', 'name = "staging"\nsubnet_ids = ["subnet-0123456789abcdef0"]')

    with pytest.raises(ConfigError, match="subnet_ids and security_group_ids go together"):
        load_config(write(tmp_path, text))


def test_stage_vpc_ids_are_checked(tmp_path):
    text = STAGES.replace(
        'name = "staging"', 'name = "staging"\nsubnet_ids = ["vpc-1"]\nsecurity_group_ids = ["sg-1"]'
    )

    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))

    message = str(error.value)
    assert "stages[0].subnet_ids[0]" in message and "stages[0].security_group_ids[0]" in message


def test_an_empty_compliance_pack_list_is_refused_with_the_field_named(tmp_path):
    path = write(tmp_path, "compliance_packs = []\n" + STAGES)

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert "compliance_packs: found []; allowed: must name at least one cdk-nag pack" in str(error.value)
    assert "AwsSolutions, NIST.800.53.R5, HIPAA.Security, PCI.DSS.321, Serverless" in str(error.value)


@pytest.mark.parametrize(
    ("reader", "message"),
    [
        ("arn:aws:iam::222222222222:role/people", "must be roles of the tooling account 111111111111"),
        ("arn:aws:iam::111111111111:user/alice", "environment.report_readers.0"),
        ("arn:aws:iam::111111111111:root", "environment.report_readers.0"),
    ],
)
def test_report_readers_are_roles_of_the_tooling_account(tmp_path, reader, message):
    text = MULTI.replace("role/ml-platform-readers", reader.split(":", 5)[5]).replace(
        "arn:aws:iam::111111111111:", reader.rsplit(":", 1)[0] + ":"
    )
    assert reader in text

    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_local_mode_s_training_config_is_the_default_plus_its_training_pipelines():
    default = load_config(REPO_ROOT / "config" / "default.toml")
    local = load_config(REPO_ROOT / "config" / "local-training.toml")

    assert local.training is not None
    assert local.model_copy(update={"training": None}) == default


def test_problems_are_said_in_words_not_regexes_nor_pydantic_framing(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'project_name = "Mlops Orchestrator!"\ntermination_protection = "yes"\n'
        '[[stages]]\nname = "production"\nproduction = true\nregion = "mars-1"\n'
        "[registry]\nnoncurrent_version_retention_days = 1e9\n"
    )

    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)

    assert "project_name: found 'Mlops Orchestrator!'; allowed: 1-30 letters and digits" in message
    assert "termination_protection: found 'yes'; allowed: true or false" in message  # no "yes" -> True
    assert "stages[0].region: found 'mars-1'; allowed: an AWS Region code" in message
    assert "noncurrent_version_retention_days: found 1000000000.0; allowed: a whole number" in message
    assert "^" not in message and "Input should" not in message


def test_every_config_pattern_has_words():
    patterns = set(
        re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', json.dumps(OrchestratorConfig.model_json_schema()))
    )

    missing = [p for p in patterns if pattern_words(json.loads(f'"{p}"')) is None]

    assert patterns and not missing


@pytest.mark.parametrize("key", ["aws:cloudformation:stack-name", "AWS:Owner", "", "k" * 129, "bad#key"])
def test_tags_aws_refuses_are_refused_before_deploy(tmp_path, key):
    path = tmp_path / "config.toml"
    path.write_text(f'[[stages]]\nname = "production"\nproduction = true\n[tags]\n"{key}" = "x"\n')

    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "the key not starting with 'aws:'" in str(error.value)
