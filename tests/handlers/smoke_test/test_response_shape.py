"""Response-shape rules for kinds the handler tests do not reach: numbers, text and byte-level problems."""

import pytest

from lambdas.smoke_test.response_shape import shape_problems
from mlops_manifest.monitoring import ExpectedResponse, ResponseKind


@pytest.mark.parametrize("body", [b"0.73", b"0.73\n", b"42"])
def test_a_single_number_satisfies_number(body):
    assert shape_problems(body, ExpectedResponse(kind=ResponseKind.NUMBER)) == []


@pytest.mark.parametrize("body", [b"0.1,0.9", b"[0.73]", b""])
def test_anything_else_is_not_a_number(body):
    assert shape_problems(body, ExpectedResponse(kind=ResponseKind.NUMBER)) != []


def test_blank_text_is_rejected_and_text_accepted():
    expected = ExpectedResponse(kind=ResponseKind.TEXT)
    assert shape_problems(b"  \n", expected) != []
    assert shape_problems(b"positive", expected) == []


def test_non_utf8_bytes_are_reported():
    assert shape_problems(b"\xff\xfe", ExpectedResponse()) == ["the response is not UTF-8 text"]


def test_an_object_where_an_array_is_expected_is_named():
    (problem,) = shape_problems(b'{"a": 1}', ExpectedResponse(kind=ResponseKind.JSON_ARRAY))
    assert "JSON dict" in problem and "JSON array" in problem
