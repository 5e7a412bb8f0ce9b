"""Git-driven provisioning: CodeConnections pipelines, pull requests validated, merges published."""

import json

from aws_cdk.assertions import Match

from mlops_config import load_config
from tests.infra.git_provisioning.conftest import EXAMPLE

GIT = load_config(EXAMPLE).git
assert GIT is not None


def pipelines(git_app):
    found = git_app.resources("AWS::CodePipeline::Pipeline").values()
    return [p for p in found if "CodeStarSourceConnection" in json.dumps(p["Properties"]["Stages"][0])]


def trigger_of(pipeline):
    (trigger,) = pipeline["Properties"]["Triggers"]
    return trigger["GitConfiguration"]


def projects(git_app):
    return git_app.resources("AWS::CodeBuild::Project")


def project(git_app, buildspec_phrase):
    (found,) = [
        p for p in projects(git_app).values() if buildspec_phrase in json.dumps(p["Properties"]["Source"])
    ]
    return found


def test_two_v2_pipelines_source_from_the_connection_with_a_full_clone(git_app):
    assert len(pipelines(git_app)) == 2
    for pipeline in pipelines(git_app):
        assert pipeline["Properties"]["PipelineType"] == "V2"
        source = pipeline["Properties"]["Stages"][0]["Actions"][0]
        assert source["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
        assert source["Configuration"]["ConnectionArn"] == GIT.connection_arn
        assert source["Configuration"]["FullRepositoryId"] == GIT.repository
        assert source["Configuration"]["OutputArtifactFormat"] == "CODEBUILD_CLONE_REF"


def test_codecommit_is_nowhere_in_the_template(git_app):
    text = json.dumps(git_app.raw)

    assert "CodeCommit" not in text and "codecommit" not in text


def test_pull_requests_into_the_default_branch_on_the_paths_trigger_validation(git_app):
    (pull_requests,) = [p for p in pipelines(git_app) if "PullRequest" in trigger_of(p)]
    (rule,) = trigger_of(pull_requests)["PullRequest"]

    assert rule["Branches"]["Includes"] == [GIT.default_branch]
    assert rule["FilePaths"]["Includes"] == list(GIT.path_filters)
    assert set(rule["Events"]) == {"OPEN", "UPDATED"}
    assert "Push" not in trigger_of(pull_requests)
    assert pull_requests["Properties"]["Stages"][1]["Name"] == "Validate"


def test_merges_to_the_default_branch_on_the_paths_trigger_publication(git_app):
    (merges,) = [p for p in pipelines(git_app) if "Push" in trigger_of(p)]
    (rule,) = trigger_of(merges)["Push"]

    assert rule["Branches"]["Includes"] == [GIT.default_branch]
    assert rule["FilePaths"]["Includes"] == list(GIT.path_filters)
    assert merges["Properties"]["Stages"][1]["Name"] == "Publish"


def test_pull_requests_are_reported_as_a_codebuild_test_report(git_app):
    validate = project(git_app, "git_cmd validate")
    spec = json.dumps(validate["Properties"]["Source"]["BuildSpec"])

    (group,) = git_app.resources("AWS::CodeBuild::ReportGroup")
    assert group in spec and "JUNITXML" in spec


def policy_statements_of(git_app, role_logical_id):
    return [
        statement
        for policy in git_app.resources("AWS::IAM::Policy").values()
        if {"Ref": role_logical_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_only_the_merge_build_may_write_the_registry_and_only_under_models_and_images(git_app):
    writes = {}
    for phrase in ("git_cmd validate", "git_cmd publish"):
        role = project(git_app, phrase)["Properties"]["ServiceRole"]["Fn::GetAtt"][0]
        statements = policy_statements_of(git_app, role)
        writes[phrase] = [
            json.dumps(s["Resource"]) for s in statements if "s3:PutObject" in json.dumps(s["Action"])
        ]

    assert writes["git_cmd validate"] == []
    assert any("/models/*" in resource for resource in writes["git_cmd publish"])
    assert all("/models/*" in r or "/images/*" in r for r in writes["git_cmd publish"])


def test_the_merge_build_publishes_with_the_cli_that_signs_in_the_commit_author(git_app):
    publish = project(git_app, "git_cmd publish")
    variables = {v["Name"]: v["Value"] for v in publish["Properties"]["Environment"]["EnvironmentVariables"]}

    assert "MLOPS_REGISTRY_BUCKET" in variables
    assert variables["MLOPS_GIT_PATH_FILTERS"] == ",".join(GIT.path_filters)


def test_the_git_builds_are_encrypted_unprivileged_and_log_to_an_encrypted_group(git_app):
    for phrase in ("git_cmd validate", "git_cmd publish"):
        properties = project(git_app, phrase)["Properties"]
        assert properties["EncryptionKey"]
        assert properties["Environment"].get("PrivilegedMode") in (None, False)
        group = properties["LogsConfig"]["CloudWatchLogs"]["GroupName"]["Ref"]
        assert git_app.raw["Resources"][group]["Properties"]["KmsKeyId"]


def test_a_failed_git_pipeline_execution_is_notified(git_app):
    git_app.tooling.resource_properties_count_is(
        "AWS::Events::Rule",
        Match.object_like(
            {
                "EventPattern": Match.object_like(
                    {"source": ["aws.codepipeline"], "detail": Match.object_like({"state": ["FAILED"]})}
                )
            }
        ),
        2,
    )
