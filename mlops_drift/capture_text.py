"""The column-wise chunks' CSV records as one UTF-8 text, written into one buffer as the chunks arrive."""

from __future__ import annotations

import numpy as np

# The smallest buffer: a few chunks' worth, so short captures never grow it.
_MIN_CAPACITY = 1 << 16


class CsvText:
    """Record lines joined by "\\n" in one buffer, with how many there are.

    Each chunk's text is copied in while it is still in the CPU's caches and then dropped, so the capture's
    text takes one buffer rather than its chunks plus their join. The buffer comes from np.empty, which maps
    pages without touching them: a capacity of the whole file's size (always enough, since CSV text is never
    longer than the JSON that carries it) costs only the pages written. It grows when a caller gives less.
    """

    def __init__(self, capacity: int = 0) -> None:
        self._buffer = np.empty(max(capacity, _MIN_CAPACITY), dtype=np.uint8)
        self._ends: list[int] = []  # where each chunk's text ends
        self.size = 0
        self.records = 0

    def __bool__(self) -> bool:
        """True once a chunk has been added (every chunk holds a record)."""
        return self.records > 0

    def add(self, data: bytes, records: int) -> None:
        """Append a chunk's UTF-8 text of `records` lines."""
        start = self.size + (1 if self._ends else 0)
        end = start + len(data)
        if end > len(self._buffer):
            bigger = np.empty(max(end, 2 * len(self._buffer)), dtype=np.uint8)
            bigger[: self.size] = self._buffer[: self.size]
            self._buffer = bigger
        if self._ends:
            self._buffer[self.size] = 0x0A
        self._buffer[start:end] = np.frombuffer(data, dtype=np.uint8)
        self._ends.append(end)
        self.size, self.records = end, self.records + records

    def view(self) -> memoryview:
        """The text's bytes without a copy (valid until the next add)."""
        return self._buffer[: self.size].data

    def lines(self, limit: int | None = None) -> list[str]:
        """The record lines, or the first `limit` of them (read from the chunks that hold them only)."""
        if not self._ends:
            return []
        end = self.size if limit is None else self._ends[min(limit, len(self._ends)) - 1]
        found = self._buffer[:end].tobytes().decode().split("\n")
        return found if limit is None else found[:limit]
