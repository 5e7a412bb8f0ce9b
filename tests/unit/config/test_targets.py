"""Stage placements: which account and region each stage deploys to, and which stages share a target."""

from pathlib import Path

import pytest

from mlops_config import ConfigError, load_config
from mlops_config.targets import (
    Placement,
    deployment_targets,
    remote_regions,
    stage_accounts,
    stage_placement,
)
from tests.conftest import REPO_ROOT

TOOLING = '[environment]\naccount = "111111111111"\nregion = "eu-west-1"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def stage(name: str, account: str | None = None, region: str | None = None, production: bool = False) -> str:
    lines = [f'[[stages]]\nname = "{name}"']
    lines += [f'account = "{account}"'] * (account is not None) + [f'region = "{region}"'] * (
        region is not None
    )
    lines += ["production = true"] * production
    return "\n".join(lines) + "\n"


def test_stages_sharing_an_account_and_region_share_one_target():
    config = load_config(REPO_ROOT / "config" / "multi-account.toml")

    targets = deployment_targets(config)

    assert [(t.placement, [s.name for s in t.stages]) for t in targets] == [
        (Placement("222222222222", "eu-west-1"), ["qa", "staging"]),
        (Placement("222222222222", "us-east-1"), ["staging-us"]),
        (Placement("333333333333", "eu-west-1"), ["production"]),
    ]
    assert not any(t.is_tooling for t in targets)
    assert stage_accounts(config) == ("222222222222", "333333333333")
    assert remote_regions(config) == ("us-east-1",)


def test_a_stage_without_account_or_region_deploys_with_the_tooling_stack(tmp_path):
    text = TOOLING + stage("staging") + stage("production", account="444444444444", production=True)
    config = load_config(write(tmp_path, text))

    staging, production = config.stages
    assert stage_placement(config, staging) == Placement("111111111111", "eu-west-1")
    assert stage_placement(config, production) == Placement("444444444444", "eu-west-1")
    assert [t.is_tooling for t in deployment_targets(config)] == [True, False]
    assert stage_accounts(config) == ("444444444444",)


def test_the_single_account_default_has_one_target_the_tooling_environment():
    config = load_config(REPO_ROOT / "config" / "default.toml")

    (target,) = deployment_targets(config)

    assert target.is_tooling and target.placement == Placement(None, None)
    assert [s.name for s in target.stages] == ["staging", "production"]


@pytest.mark.parametrize("field", ["account", "region"])
def test_a_placed_stage_needs_the_tooling_environment(tmp_path, field):
    value = {"account": "222222222222", "region": "us-east-1"}[field]
    text = stage("staging", **{field: value}) + stage("production", production=True)

    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))

    assert f"stages.0.{field} (staging) need [environment] account and region" in str(error.value)


@pytest.mark.parametrize("given", ['account = "111111111111"', 'region = "eu-west-1"'])
def test_the_tooling_environment_names_both_account_and_region_or_neither(tmp_path, given):
    text = f"[environment]\n{given}\n" + stage("staging") + stage("production", production=True)

    with pytest.raises(ConfigError, match=r"environment\.account and environment\.region go together"):
        load_config(write(tmp_path, text))
