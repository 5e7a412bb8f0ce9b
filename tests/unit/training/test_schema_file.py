"""The committed training-spec JSON Schema is what the models generate, and its patterns have words."""

from __future__ import annotations

import json
from pathlib import Path

from mlops_manifest import text_rules as manifest_rules
from mlops_training import text_rules as training_rules
from scripts.generate_schemas import render
from tests.schema_patterns import patterns

ROOT = Path(__file__).resolve().parents[3]


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "docs" / "training-spec.schema.json").read_text(encoding="utf-8")
    assert committed == render("training-spec"), "stale: run python scripts/generate_schemas.py"


def test_schema_forbids_unknown_keys_and_requires_the_core() -> None:
    schema = json.loads(render("training-spec"))

    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "schema_version",
        "model_name",
        "owner",
        "job",
        "channels",
        "evaluation",
    }
    assert schema["properties"]["schema_version"]["const"] == "1"
    assert schema["$defs"]["Spot"]["required"] == ["max_wait_minutes", "checkpoint_uri"]
    assert "objective" in schema["$defs"]["Tuning"]["required"]


def test_every_pattern_of_the_schema_has_its_rule_in_words() -> None:
    in_schema = patterns(json.loads(render("training-spec")))
    without_words = {p for p in in_schema if not (manifest_rules.words_for(p) or training_rules.words_for(p))}
    assert in_schema and not without_words
    assert all("^" not in rule.words and "\\" not in rule.words for rule in training_rules.RULES)
