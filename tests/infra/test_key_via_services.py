"""Function roles use the data key only through AWS services (kms:ViaService), never with direct KMS calls."""

import pytest


@pytest.fixture(scope="module")
def tooling(synthesized_app):
    return synthesized_app.template("Tooling").to_json()["Resources"]


def _function_roles(resources) -> set[str]:
    """Logical IDs of the roles that Lambda functions run as."""
    return {
        r["Properties"]["Role"]["Fn::GetAtt"][0]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Function" and "Fn::GetAtt" in r["Properties"]["Role"]
    }


def _kms_statements(resources, roles):
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Policy":
            continue
        if not {ref["Ref"] for ref in resource["Properties"]["Roles"]} & roles:
            continue
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if all(action.startswith("kms:") for action in actions):
                yield logical_id, statement


def test_every_key_grant_of_a_function_role_names_the_services_it_goes_through(tooling):
    roles = _function_roles(tooling)
    statements = list(_kms_statements(tooling, roles))
    assert len(roles) >= 9 and len(statements) >= 9  # every function, and the check saw their key grants
    for logical_id, statement in statements:
        via = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService")
        assert via, (logical_id, statement["Action"])
        services = {value["Fn::Join"][1][0].rstrip(".") for value in via}
        # A grant for reading registry objects names S3 alone; every other names the five services.
        assert services in ({"s3"}, {"s3", "sns", "sqs", "dynamodb", "lambda"}), (logical_id, via)


def _pipeline_roles(resources) -> set[str]:
    """Logical IDs of the deployment pipelines' service role and of every role their actions run as."""
    pipelines = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CodePipeline::Pipeline"]
    action_roles = {
        action["RoleArn"]["Fn::GetAtt"][0]
        for pipeline in pipelines
        for stage in pipeline["Stages"]
        for action in stage["Actions"]
        if "Fn::GetAtt" in action["RoleArn"]
    }
    return {pipeline["RoleArn"]["Fn::GetAtt"][0] for pipeline in pipelines} | action_roles


def test_the_pipelines_use_the_artifact_key_only_through_s3(tooling):
    roles = _pipeline_roles(tooling)
    statements = list(_kms_statements(tooling, roles))
    assert len(roles) >= 4 and len(statements) >= 4  # the service role and every pipeline's actions role
    for logical_id, statement in statements:
        via = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService")
        assert via, (logical_id, statement["Action"])
        assert {value["Fn::Join"][1][0].rstrip(".") for value in via} == {"s3"}, (logical_id, via)
