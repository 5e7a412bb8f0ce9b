"""`--assume-role`: read a stage account's reports as its report-reader role (moto keeps accounts apart)."""

import boto3

from mlops_cli.aws import Aws, _assumed, session_name
from tests.unit.cli.test_push_status_drift import put_latest

READER = "arn:aws:iam::333333333333:role/report-reader"


def s3_as(role_arn, moto_url):
    credentials = boto3.client("sts", endpoint_url=moto_url, region_name="us-east-1").assume_role(
        RoleArn=role_arn, RoleSessionName="test"
    )["Credentials"]
    return boto3.client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def test_drift_of_a_stage_account_is_read_through_its_reader_role(run, moto_url, aws_env):
    _assumed.cache_clear()
    production = s3_as(READER, moto_url)
    production.create_bucket(Bucket="production-reports")
    put_latest(production, "production-reports", "churn-production")
    args = ("drift", "churn-production", "--reports-bucket", "production-reports", "--endpoint-url", moto_url)

    as_reader = run(*args, "--assume-role", READER)

    assert as_reader.exit_code == 0, as_reader.output
    assert "endpoint churn-production: drift" in as_reader.output


def test_the_session_acts_in_the_roles_account(moto_url, aws_env):
    _assumed.cache_clear()
    session = Aws(moto_url, "us-east-1", None, READER).session()

    identity = session.client("sts", endpoint_url=moto_url).get_caller_identity()

    assert identity["Account"] == "333333333333"
    assert ":assumed-role/report-reader/" in identity["Arn"]


def test_a_role_that_cannot_be_assumed_is_a_one_line_error(run, closed_port_url):
    _assumed.cache_clear()
    result = run(
        "drift", "ep", "--reports-bucket", "b", "--endpoint-url", closed_port_url, "--assume-role", READER
    )

    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_the_role_session_is_named_after_the_person_not_the_tool(moto_url, aws_env):
    _assumed.cache_clear()
    person = boto3.client("sts", endpoint_url=moto_url, region_name="us-east-1").get_caller_identity()["Arn"]
    session = Aws(moto_url, "us-east-1", None, READER).session()

    identity = session.client("sts", endpoint_url=moto_url).get_caller_identity()

    assert identity["Arn"].endswith(f"/report-reader/{session_name(person)}")
    assert session_name(person) != "mlops-cli"


def test_session_names_keep_only_what_sts_accepts():
    assert session_name("arn:aws:sts::111111111111:assumed-role/DataScientist/alice@example.com") == (
        "alice@example.com"
    )
    assert session_name("arn:aws:iam::111111111111:user/team/bob") == "bob"
    assert session_name("arn:aws:iam::111111111111:user/x y") == "x-y"
    assert session_name("arn:aws:iam::111111111111:user/" + "n" * 80) == "n" * 64
