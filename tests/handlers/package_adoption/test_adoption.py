"""Adopting packages another pipeline registered: every check of an upload; the team's package untouched."""

from __future__ import annotations

import dataclasses
import json

from lambdas.common.duties import REQUESTED_BY_METADATA
from lambdas.common.registry_status import META_SHA256
from lambdas.package_adoption.service import Outcome
from tests.handlers.package_adoption.conftest import IMAGE, TEAM_BUCKET, TEAM_GROUP, Team
from tests.handlers.register.artifacts import good_model, sha256
from tests.handlers.register.conftest import BUCKET

FOLDER = "models/churn-model/adopted-1/"


def register(team: Team, key: str) -> None:
    """Let the register function handle the manifest the adoption wrote, as S3's event would."""
    head = team.registry.s3.head_object(Bucket=BUCKET, Key=key)
    team.registry.invoke(team.registry.event_for(key, head["VersionId"], head["ContentLength"]))


def manifest(team: Team, folder: str = FOLDER) -> dict:
    body = team.registry.s3.get_object(Bucket=BUCKET, Key=folder + "manifest.json")["Body"].read()
    return json.loads(body)


def test_a_completed_package_becomes_a_registered_version_through_the_register_function(team: Team) -> None:
    arn = team.package()

    result = team.deliver(arn)
    register(team, FOLDER + "manifest.json")

    assert result.outcome is Outcome.ADOPTED
    (package,) = team.registry.packages("churn-model")
    assert package["CustomerMetadataProperties"][META_SHA256] == sha256(good_model())
    assert package["CustomerMetadataProperties"]["mlops:source-package"] == arn
    assert manifest(team)["lineage"]["source_model_package_arn"] == arn
    assert manifest(team)["owner"] == "team-a@example.com"


def test_the_manifest_carries_the_package_creator_as_requester(team: Team) -> None:
    arn = team.package()
    creator = "arn:aws:sts::123456789012:assumed-role/team-pipeline/bob"
    original = team.registry.sm.describe_model_package

    def described(**kwargs):
        return {**original(**kwargs), "CreatedBy": {"IamIdentity": {"Arn": creator}}}

    team.registry.sm.describe_model_package = described
    team.deliver(arn)

    head = team.registry.s3.head_object(Bucket=BUCKET, Key=FOLDER + "manifest.json")
    assert head["Metadata"][REQUESTED_BY_METADATA] == creator


def test_a_second_delivery_of_the_same_package_does_nothing(team: Team) -> None:
    arn = team.package()
    team.deliver(arn)
    before = team.registry.keys("models/")

    again = team.deliver(arn)

    assert again.outcome is Outcome.DUPLICATE
    assert team.registry.keys("models/") == before


def test_a_group_that_is_not_adopted_is_ignored(team: Team) -> None:
    arn = team.package(group="someone-elses-group")

    result = team.deliver(arn)

    assert result.outcome is Outcome.IGNORED and "not adopted" in result.reason
    assert team.registry_keys("models/") == [] and team.registry_keys("rejected/") == []


def test_a_package_this_registry_created_is_never_adopted_again(team: Team) -> None:
    arn = team.package(CustomerMetadataProperties={META_SHA256: "1" * 64})

    result = team.deliver(arn)

    assert result.outcome is Outcome.IGNORED and "registered by this registry" in result.reason
    assert team.registry_keys("models/") == []


def refused(team: Team, arn: str) -> tuple[str, dict, list[str]]:
    """Deliver, expect a refusal; return its reason, its report and the notifications."""
    result = team.deliver(arn)
    assert result.outcome is Outcome.REFUSED
    (key,) = team.registry_keys("rejected/adoption/")
    report = json.loads(team.registry.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    assert team.registry_keys("models/") == []
    return result.reason, report, team.registry.notifications()


def test_an_artifact_outside_the_allowed_buckets_is_refused_and_reported(team: Team) -> None:
    team.registry.s3.create_bucket(Bucket="elsewhere")
    team.registry.s3.put_object(Bucket="elsewhere", Key="m.tar.gz", Body=good_model())
    container = {"Image": "x", "ModelDataUrl": "s3://elsewhere/m.tar.gz"}
    arn = team.package(specification={"Containers": [container]})

    reason, report, notes = refused(team, arn)

    assert "lies in bucket 'elsewhere', not in adoption.artifact_buckets (team-models)" in reason
    assert report == {"model_package_arn": arn, "problems": [reason]}
    assert len(notes) == 1 and "elsewhere" in notes[0]


def test_a_multi_container_package_is_refused(team: Team) -> None:
    one = {"Image": "x", "ModelDataUrl": f"s3://{TEAM_BUCKET}/a.tar.gz"}
    arn = team.package(specification={"Containers": [one, one]})

    reason, _, _ = refused(team, arn)

    assert reason == "it has 2 containers; only a single-container package can be adopted"


def with_environment(team: Team, environment: dict[str, str]) -> None:
    """The team's packages describe with this container environment (moto keeps none of its own)."""
    original = team.registry.sm.describe_model_package

    def described(**kwargs):
        package = original(**kwargs)
        package["InferenceSpecification"]["Containers"][0]["Environment"] = environment
        return package

    team.registry.sm.describe_model_package = described


def test_container_variables_the_blueprint_cannot_pass_are_refused_by_name(team: Team) -> None:
    arn = team.package()
    with_environment(team, {"SAGEMAKER_PROGRAM": "serve.py", "AUTOML_TRANSFORM_MODE": "feature-transform"})

    reason, _, _ = refused(team, arn)

    assert (
        "sets environment variables (AUTOML_TRANSFORM_MODE) that the endpoint blueprint cannot pass" in reason
    )
    assert "SAGEMAKER_INFERENCE_OUTPUT" in reason


def test_listed_container_variables_travel_with_the_adopted_version(team: Team) -> None:
    arn = team.package()
    environment = {"MODEL_NAME": "WeightedEnsemble_L3", "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label"}
    with_environment(team, environment)

    result = team.deliver(arn)

    assert result.outcome is Outcome.ADOPTED, result.reason
    assert manifest(team)["environment"] == environment


def test_an_artifact_that_is_not_a_tar_gz_is_refused_and_nothing_is_copied(team: Team) -> None:
    arn = team.package(artifact=b"PK\x03\x04 a zip file")

    reason, _, _ = refused(team, arn)

    assert "the package's artifact s3://team-models/" in reason and "is not a tar.gz archive" in reason


def test_serving_the_manifest_refuses_is_reported_with_the_field(team: Team) -> None:
    bad = dataclasses.replace(team.settings.groups[TEAM_GROUP], serving={"inference": {"type": "teleport"}})
    settings = dataclasses.replace(team.settings, groups={TEAM_GROUP: bad})
    arn = team.package()

    result = team.deliver(arn, settings)

    assert result.outcome is Outcome.REFUSED and "manifest inference" in result.reason


def test_an_image_registration_does_not_allow_is_rejected_by_the_register_function(team: Team) -> None:
    image = "999999999999.dkr.ecr.us-east-1.amazonaws.com/unknown:1"
    arn = team.package(specification={"Containers": [{"Image": image, "ModelDataUrl": "placeholder"}]})
    # the placeholder URL is replaced below with the real artifact the helper uploaded
    team.registry.sm.describe_model_package = _with_artifact(team, team.registry.sm.describe_model_package)

    assert team.deliver(arn).outcome is Outcome.ADOPTED
    register(team, FOLDER + "manifest.json")

    assert team.registry.packages("churn-model") == []
    (report,) = team.registry.reports()
    assert "999999999999" in json.dumps(report)


def _with_artifact(team: Team, original):
    key = team.registry.s3.list_objects_v2(Bucket=TEAM_BUCKET)["Contents"][0]["Key"]

    def described(**kwargs):
        package = original(**kwargs)
        package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] = f"s3://{TEAM_BUCKET}/{key}"
        return package

    return described


def test_by_tag_a_tagged_group_is_adopted_as_its_tag_says(team: Team) -> None:
    tags = [
        {"Key": "mlops:adopt-as", "Value": "fraud-model"},
        {"Key": "mlops:owner", "Value": "risk@example.com"},
    ]
    arn = team.package(group="risk-pipeline", tags=tags)
    settings = dataclasses.replace(team.settings, by_tag=True)

    result = team.deliver(arn, settings)

    assert result.outcome is Outcome.ADOPTED
    assert manifest(team, "models/fraud-model/adopted-1/")["owner"] == "risk@example.com"


def test_by_tag_a_tag_cannot_take_a_configured_model_or_omit_the_owner(team: Team) -> None:
    settings = dataclasses.replace(team.settings, by_tag=True)
    taken = [
        {"Key": "mlops:adopt-as", "Value": "churn-model"},
        {"Key": "mlops:owner", "Value": "x@example.com"},
    ]
    ownerless = [{"Key": "mlops:adopt-as", "Value": "other-model"}]

    first = team.deliver(team.package(group="sneaky", tags=taken), settings)
    second = team.deliver(team.package(group="ownerless", tags=ownerless), settings)

    assert (first.outcome, second.outcome) == (Outcome.IGNORED, Outcome.IGNORED)
    assert team.registry_keys("models/") == []


def test_tags_are_not_read_unless_by_tag_is_on(team: Team) -> None:
    tags = [
        {"Key": "mlops:adopt-as", "Value": "fraud-model"},
        {"Key": "mlops:owner", "Value": "risk@example.com"},
    ]

    result = team.deliver(team.package(group="risk-pipeline", tags=tags))

    assert result.outcome is Outcome.IGNORED


def test_an_artifact_over_the_registry_s_size_limit_is_refused_before_copying(team: Team) -> None:
    arn = team.package()
    small = dataclasses.replace(team.settings, max_artifact_bytes=len(good_model()) - 1)

    result = team.deliver(arn, small)

    assert result.outcome is Outcome.REFUSED
    assert f"its artifact is {len(good_model())} bytes, more than the registry's limit of" in result.reason
    assert team.registry_keys("models/") == []


def test_a_missing_artifact_is_refused_with_what_s3_said(team: Team) -> None:
    container = {"Image": IMAGE, "ModelDataUrl": f"s3://{TEAM_BUCKET}/gone/model.tar.gz"}
    arn = team.package(specification={"Containers": [container]})

    reason, _, _ = refused(team, arn)

    assert reason == f"the package's artifact s3://{TEAM_BUCKET}/gone/model.tar.gz cannot be read (NoSuchKey)"


def test_by_tag_a_model_name_that_climbs_out_of_its_folder_is_refused_before_any_copy(team: Team) -> None:
    tags = [{"Key": "mlops:adopt-as", "Value": "../registrations"}, {"Key": "mlops:owner", "Value": "x@y.z"}]
    arn = team.package(group="sneaky-pipeline", tags=tags)

    result = team.deliver(arn, dataclasses.replace(team.settings, by_tag=True))

    assert result.outcome is Outcome.REFUSED and "manifest model_name" in result.reason
    assert team.registry_keys("models/") == [] and team.registry_keys("registrations/") == []
