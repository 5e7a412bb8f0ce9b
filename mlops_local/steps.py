"""One readable line per demo step: what happened and how long it took."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Echo = Callable[[str], None]


class Steps:
    """Numbered steps, each printed when it ends with its duration; a failing step is printed too."""

    def __init__(self, echo: Echo) -> None:
        self._echo = echo
        self._count = 0
        self._started = time.monotonic()

    def line(self, text: str, seconds: float, ok: bool = True) -> None:
        """Print one finished step."""
        self._count += 1
        mark = "ok " if ok else "FAIL"
        self._echo(f"{self._count:>2}. [{mark}] {text} ({seconds:.2f} s)")

    def note(self, text: str) -> None:
        """Print an indented detail under the last step."""
        self._echo(f"           {text}")

    @contextmanager
    def step(self, label: str) -> Iterator[list[str]]:
        """Time a block; whatever it appends to the yielded list is printed after the label."""
        details: list[str] = []
        started = time.monotonic()
        try:
            yield details
        except BaseException:
            self.line(f"{label}: failed", time.monotonic() - started, ok=False)
            raise
        suffix = f": {'; '.join(details)}" if details else ""
        self.line(f"{label}{suffix}", time.monotonic() - started)

    @property
    def elapsed(self) -> float:
        """Seconds since the first step began."""
        return time.monotonic() - self._started
