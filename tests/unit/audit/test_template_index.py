"""The template index the compliance gate decides from, on small hand-written templates."""

import json
import os

from mlops_audit.template_index import Placed, TemplateIndex


def bucket(path: str | None, acknowledged: list[str]) -> dict:
    metadata: dict = {
        "cdk_nag": {"rules_to_suppress": [{"id": rule, "reason": "r"} for rule in acknowledged]}
    }
    if path is not None:
        metadata["aws:cdk:path"] = path
    return {"Type": "AWS::S3::Bucket", "Metadata": metadata}


def write(folder, name: str, resources: dict) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"Resources": resources}))
    return str(folder / name)


def test_a_construct_path_leads_to_its_template_and_logical_id(tmp_path):
    index = TemplateIndex()
    index.read([write(tmp_path, "A.template.json", {"Logs": bucket("A/Logs/Resource", [])})])

    assert index.locate("A/Logs/Resource") == Placed("A.template.json", "Logs")
    assert index.locate("A/Other/Resource") is None


def test_acknowledged_rule_ids_are_those_of_the_resources_metadata(tmp_path):
    index = TemplateIndex()
    resources = {"Logs": bucket("A/Logs/Resource", ["AwsSolutions-S1", "AwsSolutions-IAM5[Resource::*]"])}
    index.read([write(tmp_path, "A.template.json", resources | {"Plain": {"Type": "AWS::SNS::Topic"}})])

    assert index.acknowledged(Placed("A.template.json", "Logs")) == {
        "AwsSolutions-S1",
        "AwsSolutions-IAM5[Resource::*]",
    }
    assert index.acknowledged(Placed("A.template.json", "Plain")) == frozenset()


def test_without_path_metadata_a_resource_is_not_located_but_its_acknowledgements_are_read(tmp_path):
    index = TemplateIndex()
    index.read([write(tmp_path, "A.template.json", {"Logs": bucket(None, ["AwsSolutions-S1"])})])

    assert index.locate("A/Logs/Resource") is None
    assert index.acknowledged(Placed("A.template.json", "Logs")) == {"AwsSolutions-S1"}


def test_a_template_name_held_by_two_assemblies_acknowledges_nothing(tmp_path):
    index = TemplateIndex()
    first = write(
        tmp_path / "one", "A.template.json", {"Logs": bucket("One/Logs/Resource", ["AwsSolutions-S1"])}
    )
    second = write(tmp_path / "two", "A.template.json", {"Logs": bucket("Two/Logs/Resource", [])})
    index.read([first, second])

    assert index.acknowledged(Placed("A.template.json", "Logs")) == frozenset()


def test_a_template_rewritten_since_it_was_read_is_read_again(tmp_path):
    index = TemplateIndex()
    path = write(tmp_path, "A.template.json", {"Logs": bucket("A/Logs/Resource", [])})
    index.read([path])
    write(tmp_path, "A.template.json", {"Logs": bucket("A/Logs/Resource", ["AwsSolutions-S1"])})
    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock's resolution

    index.read([path])

    assert index.acknowledged(Placed("A.template.json", "Logs")) == {"AwsSolutions-S1"}
