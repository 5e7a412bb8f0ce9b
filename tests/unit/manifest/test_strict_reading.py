"""Strict reading: encodings named, real sizes, depth, duplicate keys, non-finite numbers, rules in words."""

from __future__ import annotations

import codecs
import json

import pytest

from mlops_manifest import Manifest, validate_manifest
from mlops_manifest.json_reader import MAX_DEPTH, nesting_depth, read_json
from mlops_manifest.text_rules import RULES, words_for
from scripts.generate_schemas import render
from tests.manifest_samples import minimal_manifest
from tests.schema_patterns import patterns
from tests.unit.manifest import reading

VALID = minimal_manifest()


def test_every_pattern_of_the_schema_has_its_rule_in_words() -> None:
    in_schema = patterns(json.loads(render("manifest")))

    assert in_schema and all(words_for(pattern) for pattern in in_schema), in_schema - {
        r.pattern for r in RULES
    }
    assert all("^" not in rule.words and "\\" not in rule.words for rule in RULES)


def test_a_pattern_mismatch_is_reported_in_words_not_as_a_regex() -> None:
    refused = reading.problems(VALID | {"version": "../v1", "owner": " x"})

    by_path = {p.path: p.allowed for p in refused}
    assert by_path == {
        "version": "1-64 letters, digits, dots, underscores and hyphens, starting with a letter or digit",
        "owner": "text that neither starts nor ends with a space",
    }


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        (codecs.BOM_UTF8 + b"{}", "a file encoded as UTF-8 with a byte order mark (BOM)"),
        (
            codecs.BOM_UTF16_BE + "{}".encode("utf-16-be"),
            "a file encoded as UTF-16 big-endian with a byte order mark",
        ),
        ("{}".encode("utf-16-be"), "a file encoded as UTF-16 big-endian (NUL bytes between characters)"),
        ("{}".encode("utf-32-le"), "a file encoded as UTF-32 little-endian (NUL bytes between characters)"),
        (b'{"a": "\xe9t\xe9"}', "bytes that are not UTF-8 (byte 0xe9 at offset 7)"),
    ],
)
def test_the_encoding_found_is_named(raw: bytes, found: str) -> None:
    _, [problem] = read_json(raw)

    assert (problem.path, problem.found, problem.code) == ("$", found, "encoding")
    assert problem.allowed == "a JSON document saved as UTF-8 without a byte order mark (BOM)"


def test_the_real_size_is_reported_even_when_only_a_prefix_was_read() -> None:
    _, [problem] = read_json(b"{}", size=5 * 2**20)

    assert problem.found == "a manifest of 5242880 bytes (5.00 MiB)"
    assert problem.allowed == "at most 1048576 bytes (1.00 MiB)"


def test_depth_is_measured_without_recursion_and_strings_do_not_count() -> None:
    assert nesting_depth('{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    _, [problem] = read_json(b"[" * 100_000 + b"]" * 100_000)

    assert (problem.found, problem.code) == ("values nested 100000 levels deep", "too_deep")
    assert str(MAX_DEPTH) in problem.allowed


def test_a_document_at_the_depth_limit_is_read() -> None:
    document, problems = read_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)

    assert problems == [] and isinstance(document, list)


def test_every_duplicate_and_non_finite_value_is_listed_with_its_path() -> None:
    raw = b'{"a": {"b": 1, "b": 2, "c": [NaN, {"d": 1e400}]}, "a": 3, "e": -Infinity}'
    _, problems = read_json(raw)

    assert {(p.path, p.code) for p in problems} == {
        ("a", "duplicate_key"),
        ("a.b", "duplicate_key"),
        ("a.c[0]", "non_finite"),
        ("a.c[1].d", "non_finite"),
        ("e", "non_finite"),
    }


def test_large_but_finite_numbers_are_not_refused_by_the_reader() -> None:
    document, problems = read_json(b'{"a": 1e308, "b": -12345678901234567890, "c": 0.1}')

    assert problems == [] and document == {"a": 1e308, "b": -12345678901234567890, "c": 0.1}


@pytest.mark.parametrize(
    ("raw", "found"),
    [(b"null", "JSON null"), (b"true", "JSON true"), (b"[]", "a JSON array"), (b'"x"', "a JSON string")],
)
def test_a_document_that_is_not_an_object_is_named_in_json_terms(raw: bytes, found: str) -> None:
    [problem] = validate_manifest(raw)  # type: ignore[misc]

    assert (problem.found, problem.code) == (found, "not_object")


def test_null_sections_are_called_null() -> None:
    refused = reading.problems(VALID | {"deployment": None, "owner": None})

    assert {(p.path, p.found) for p in refused} == {("deployment", "null"), ("owner", "null")}


def test_the_valid_manifest_still_validates() -> None:
    assert isinstance(reading.check(VALID), Manifest)
