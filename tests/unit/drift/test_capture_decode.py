"""A capture file's lines: counted without splitting exactly as capture_lines splits them."""

from hypothesis import given
from hypothesis import strategies as st

from mlops_drift.capture_decode import capture_lines, line_count, line_pieces

_file = st.lists(st.sampled_from([b"\n", b"\r", b"{}", b" ", b"x", b"\r\n"]), max_size=20).map(b"".join)


@given(data=st.one_of(_file, st.binary(max_size=50)))
def test_line_count_matches_the_lines_capture_lines_finds(data):
    assert line_count(data) == len(capture_lines(data))


def test_a_final_newline_ends_the_last_line_and_adds_none():
    assert [line_count(data) for data in (b"", b"a", b"a\n", b"a\n\n", b"\n")] == [0, 1, 1, 2, 1]


@given(data=st.one_of(_file, st.binary(max_size=50)), size=st.integers(1, 8))
def test_pieces_cover_the_file_in_order_and_end_at_line_ends(data, size):
    pieces = list(line_pieces(data, size))
    assert b"".join(bytes(piece) for piece, _ in pieces) == data
    assert all(bytes(piece).endswith(b"\n") for piece, _ in pieces[:-1])
    assert sum(lines for _, lines in pieces) == line_count(data)
    assert all(lines == len(capture_lines(bytes(piece))) for piece, lines in pieces)
