"""`mlops status --config`: where each stage is read, and the line a stage gets when it cannot be read."""

import click
import pytest

from mlops_cli.aws import Aws
from mlops_cli.status_accounts import StagePlace, parse_reader_roles, remote_state, stage_places
from mlops_cli.status_endpoint import render_endpoint
from mlops_config import load_config
from tests.conftest import REPO_ROOT

READER = "arn:aws:iam::333333333333:role/report-reader"
PRODUCTION = StagePlace("production", "333333333333", "MlopsOrchestrator-Stage-333333333333-eu-west-1")


class _RefusingAws(Aws):
    """An Aws whose role cannot be assumed, as `_assumed` reports it."""

    def client(self, service: str) -> object:
        raise click.ClickException(
            f"cannot assume {self.role_arn}: User is not authorized to perform AssumeRole"
        )


def test_the_worked_example_reads_every_stage_in_its_own_account():
    places = stage_places(load_config(REPO_ROOT / "config" / "multi-account.toml"))

    assert [(p.stage, p.account) for p in places] == [
        ("qa", "222222222222"),
        ("staging", "222222222222"),
        ("staging-us", "222222222222"),
        ("production", "333333333333"),
    ]
    assert places[2].stack == "MlopsOrchestrator-Stage-222222222222-us-east-1"
    assert places[3].stack == "MlopsOrchestrator-Stage-333333333333-eu-west-1"


def test_a_single_account_config_reads_every_stage_with_the_callers_credentials():
    places = stage_places(load_config(REPO_ROOT / "config" / "default.toml"))

    assert [(p.stage, p.account) for p in places] == [("staging", None), ("production", None)]


def test_a_role_that_cannot_be_assumed_is_one_line_naming_the_role_and_the_reason():
    aws = _RefusingAws("http://127.0.0.1:1", "us-east-1", None)

    state = remote_state(aws, PRODUCTION, "churn-production", {"333333333333": READER})

    assert state["status"] == "NotRead"
    lines = render_endpoint(state)
    assert lines[0] == "  production: churn-production  NotRead  (account 333333333333)"
    assert lines[1] == f"      not read: cannot assume {READER}: User is not authorized to perform AssumeRole"


def test_an_account_without_a_reader_role_says_which_output_to_pass():
    state = remote_state(Aws(None, "us-east-1", None), PRODUCTION, "churn-production", {})

    assert "pass --reader-role 333333333333=<ReportReaderRoleArn output of " in state["problem"]
    assert PRODUCTION.stack in state["problem"]


@pytest.mark.parametrize(
    "pair",
    [
        "333333333333",
        "33333=" + READER,
        "222222222222=" + READER,
        "333333333333=arn:aws:iam::333333333333:user/x",
    ],
)
def test_a_malformed_reader_role_is_refused_naming_it(pair):
    with pytest.raises(click.BadParameter, match="expected ACCOUNT=ROLE_ARN"):
        parse_reader_roles((pair,))


def test_reader_roles_are_kept_by_account():
    assert parse_reader_roles((f"333333333333={READER}",)) == {"333333333333": READER}
