"""config/local-multi-account.toml is the worked multi-account example moved to local mode's region."""

from typing import Any

from mlops_config import load_config
from mlops_local.moto_server import REGION
from tests.conftest import REPO_ROOT

WORKED = REPO_ROOT / "config" / "multi-account.toml"
LOCAL = REPO_ROOT / "config" / "local-multi-account.toml"


def _without_regions_and_emails(document: dict[str, Any]) -> dict[str, Any]:
    """The config without its regions and e-mails, and without stages outside the tooling region (local
    mode runs one region)."""
    environment = {k: v for k, v in document["environment"].items() if k != "region"}
    here = document["environment"]["region"]
    stages = [
        {k: v for k, v in stage.items() if k != "region"}
        for stage in document["stages"]
        if stage["region"] in (None, here)
    ]
    notifications = {k: v for k, v in document["notifications"].items() if k != "emails"}
    return {**document, "environment": environment, "stages": stages, "notifications": notifications}


def test_the_local_config_equals_the_worked_example_in_one_region_without_emails():
    worked, local = load_config(WORKED).model_dump(), load_config(LOCAL).model_dump()

    assert _without_regions_and_emails(local) == _without_regions_and_emails(worked)


def test_every_account_of_the_local_config_is_in_local_modes_region():
    config = load_config(LOCAL)

    assert config.environment.region == REGION
    assert {stage.region for stage in config.stages} == {REGION}
    # And it keeps three accounts, two stages sharing one, as the worked example does
    assert len({config.environment.account, *(stage.account for stage in config.stages)}) == 3


def test_the_local_config_subscribes_no_one():
    assert not load_config(LOCAL).notifications.emails
