"""cfn_text: one walk over CloudFormation values, read the way each caller prints references."""

from mlops_constructs.cfn_text import cfn_text


def _angle(name: str) -> str:
    return f"<{name}>"


def test_joins_are_flattened_and_references_read_through_the_callers_form():
    value = {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/models/", {"Ref": "Prefix"}, "*"]]}

    assert cfn_text(value, reference=_angle, other=str) == "<Bucket.Arn>/models/<Prefix>*"


def test_nested_joins_keep_their_own_delimiters():
    value = {"Fn::Join": [":", ["arn", {"Fn::Join": ["-", [{"Ref": "Model"}, "prod"]]}]]}

    assert cfn_text(value, reference=_angle, other=str) == "arn:<Model>-prod"


def test_other_intrinsics_are_left_to_the_caller():
    value = {"Fn::Select": [0, ["a", "b"]]}

    assert cfn_text(value, reference=_angle, other=lambda v: "OTHER") == "OTHER"
