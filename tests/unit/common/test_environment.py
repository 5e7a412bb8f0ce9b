"""Reading a function's environment: comma-separated names and bounded whole numbers."""

import pytest

from lambdas.common.environment import split_names, whole_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ()),
        ("a", ("a",)),
        ("111111111111, 222222222222", ("111111111111", "222222222222")),
        (" staging ,, production , ", ("staging", "production")),
    ],
)
def test_comma_separated_names_keep_their_order_and_drop_blanks(raw, expected):
    assert split_names(raw) == expected


def test_a_whole_number_below_its_minimum_is_refused_naming_the_variable():
    with pytest.raises(ValueError, match="COPY_PART_MIB must be an integer of at least 5, got 4"):
        whole_number({"COPY_PART_MIB": "4"}, "COPY_PART_MIB", 64, minimum=5)


def test_an_unset_whole_number_takes_its_default():
    assert whole_number({}, "COPY_PART_MIB", 64, minimum=5) == 64
