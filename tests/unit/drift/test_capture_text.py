"""The column-wise chunks' CSV text: one buffer that reads back exactly the lines added, in order."""

from hypothesis import given
from hypothesis import strategies as st

from mlops_drift.capture_text import CsvText

_chunk = st.lists(st.text(alphabet="0123456789,.aé日", min_size=1, max_size=30), min_size=1, max_size=5)


@given(chunks=st.lists(_chunk, max_size=8), capacity=st.sampled_from([0, 1, 10**6]), limit=st.integers(1, 12))
def test_added_chunks_read_back_as_their_lines_in_order_whatever_the_capacity(chunks, capacity, limit):
    # Given: a text far too small for what is added, or ample
    text = CsvText(capacity)
    for lines in chunks:
        text.add("\n".join(lines).encode(), len(lines))
    # Then: the lines, their count, the head and the bytes are those of the chunks joined by "\n"
    expected = [line for lines in chunks for line in lines]
    assert (bool(text), text.records) == (bool(expected), len(expected))
    assert text.lines() == expected
    assert text.lines(limit) == expected[:limit]
    assert bytes(text.view()) == "\n".join(expected).encode()


def test_a_chunk_larger_than_the_buffer_grows_it_and_keeps_what_was_there():
    text = CsvText()
    text.add(b"1,a", 1)
    big = b"\n".join([b"2,b"] * 100_000)  # about 400 KB: past the smallest buffer
    text.add(big, 100_000)
    assert text.records == 100_001
    assert text.lines(2) == ["1,a", "2,b"]
    assert bytes(text.view()) == b"1,a\n" + big
