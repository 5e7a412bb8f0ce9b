"""Running: local services used as context managers, started on entry and stopped on exit."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Running:
    """Base of a local service: `with Service(...) as s` calls start(), then stop() whatever happens."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
