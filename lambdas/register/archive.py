"""Safe-tar check of a gzip-compressed model archive, streamed once, never extracted."""

from __future__ import annotations

import gzip
import tarfile
import zlib
from enum import StrEnum
from typing import Any, cast

from lambdas.register.archive_members import ALLOWED_WORDS, MemberIndex, kind_problems, name_problems
from lambdas.register.digest import CHUNK_BYTES, Readable
from lambdas.register.model_files import model_file_problems
from lambdas.register.settings import Limits
from mlops_manifest import Problem

PATH = "artifact"
MAX_MEMBER_PROBLEMS = 20
# Model weights barely compress (2-3:1; text formats ~10:1); gzip tops out near 1030:1. Past the floor, an
# archive expanding more than MAX_COMPRESSION_RATIO times is a decompression bomb, even under the size cap.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 32 * 1024 * 1024
# PAX and GNU long-name headers are read into memory by tarfile: cap them so a header cannot exhaust memory.
MAX_EXTENDED_HEADER_BYTES = 1024 * 1024
_EXTENDED_TYPES = {
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
}


class _BoundedTarInfo(tarfile.TarInfo):
    """TarInfo that refuses oversized extended headers before tarfile buffers them."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> Any:
        """Reject huge PAX/long-name headers, then parse as usual."""
        if self.type in _EXTENDED_TYPES and self.size > MAX_EXTENDED_HEADER_BYTES:
            raise tarfile.HeaderError(f"extended header of {self.size} bytes")
        return super()._proc_member(tarfile_)  # type: ignore[misc]


class _BudgetError(Exception):
    """Raised when the decompressed stream exceeds its byte budget."""


class _RatioError(Exception):
    """Raised when the stream expands far more than any model archive does."""

    def __init__(self, expanded: int, compressed: int) -> None:
        super().__init__()
        self.expanded, self.compressed = expanded, compressed


class _CountingReader:
    """Count the compressed bytes read from the object."""

    def __init__(self, stream: Readable) -> None:
        self._stream = stream
        self.count = 0

    def read(self, size: int = -1, /) -> bytes:
        """Read and count."""
        data = self._stream.read(size)
        self.count += len(data)
        return data


class _LimitedReader:
    """Read a decompressed stream, failing past `budget` bytes or past the compression-ratio bound."""

    def __init__(self, stream: Readable, budget: int, compressed: _CountingReader) -> None:
        self._stream = stream
        self._remaining = budget
        self._compressed = compressed
        self.expanded = 0

    def read(self, size: int = -1, /) -> bytes:
        """Read at most one chunk, charging it to the budget and checking the ratio."""
        limit = CHUNK_BYTES if size is None or size < 0 else min(size, CHUNK_BYTES)
        data = self._stream.read(limit)
        self._remaining -= len(data)
        self.expanded += len(data)
        if self._remaining < 0:
            raise _BudgetError
        packed = max(self._compressed.count, 1)
        if self.expanded > RATIO_FLOOR_BYTES and self.expanded > MAX_COMPRESSION_RATIO * packed:
            raise _RatioError(self.expanded, packed)
        return data


def _member_problems(member: tarfile.TarInfo, index: MemberIndex) -> list[str]:
    """Return why one member is unsafe (empty when it is a plain file or directory)."""
    reasons = name_problems(member.name, is_dir=member.isdir()) + kind_problems(member)
    clash = index.clash(member) if not reasons else None
    return reasons + ([clash] if clash else [])


def _scan(tar: tarfile.TarFile, limits: Limits, framework: str | None) -> list[Problem]:
    """Walk the members once, collecting unsafe ones and enforcing count and size caps."""
    problems: list[Problem] = []
    index = MemberIndex()
    count = total = 0
    for member in tar:
        count, total = count + 1, total + max(member.size, 0)
        if count > limits.max_members:
            return [
                *problems,
                Problem(
                    PATH,
                    f"more than {limits.max_members} members",
                    f"at most {limits.max_members} archive members",
                    "too_many_members",
                ),
            ]
        if total > limits.max_uncompressed_bytes:
            return [*problems, _too_large(limits)]
        reasons = _member_problems(member, index)
        if reasons and len(problems) < MAX_MEMBER_PROBLEMS:
            found = f"member {member.name[:200]!r}: {', '.join(reasons)}"
            problems.append(Problem(PATH, found, ALLOWED_WORDS, "unsafe_member"))
    if count == 0:
        problems.append(Problem(PATH, "an archive with no members", "a tar with at least one file", "empty"))
    elif not problems:
        problems += model_file_problems(framework, index.files)
    return problems


def _bomb(error: _RatioError) -> Problem:
    """The archive expands like a decompression bomb."""
    found = (
        f"an archive that expands more than {error.expanded // error.compressed} times "
        f"({error.expanded} bytes from the first {error.compressed} compressed bytes)"
    )
    allowed = (
        f"at most {MAX_COMPRESSION_RATIO} times expansion once past {RATIO_FLOOR_BYTES // 2**20} MiB "
        "(model files barely compress; this is a decompression bomb)"
    )
    return Problem(PATH, found, allowed, "compression_ratio")


def _too_large(limits: Limits) -> Problem:
    """The archive expands beyond the uncompressed-size limit."""
    bound = limits.max_uncompressed_bytes
    return Problem(
        PATH, f"more than {bound} bytes uncompressed", f"at most {bound} bytes uncompressed", "too_large"
    )


def inspect_archive(
    stream: Readable, limits: Limits, framework: StrEnum | str | None = None
) -> list[Problem]:
    """Check a gzip-compressed tar stream for safety, size and a model file `framework`'s container loads;
    return every problem found."""
    head = stream.read(2)
    if not head:
        return [Problem(PATH, "an empty file", "a gzip-compressed tar archive", "empty")]
    if head != b"\x1f\x8b":
        return [
            Problem(PATH, "not gzip-compressed data", "a gzip-compressed tar archive (.tar.gz)", "not_gzip")
        ]
    budget = limits.max_uncompressed_bytes + MAX_EXTENDED_HEADER_BYTES + 1024 * 1024
    compressed = _CountingReader(_Prefixed(head, stream))
    unzipped = gzip.GzipFile(fileobj=cast(Any, compressed), mode="rb")
    decompressed = _LimitedReader(unzipped, budget, compressed)
    try:
        with tarfile.open(fileobj=decompressed, mode="r|", tarinfo=_BoundedTarInfo) as tar:  # type: ignore[call-overload]
            problems = _scan(tar, limits, None if framework is None else str(framework))
        while decompressed.read(CHUNK_BYTES):  # reaching the gzip trailer verifies its CRC and length
            pass
    except _BudgetError:
        return [_too_large(limits)]
    except _RatioError as error:
        return [_bomb(error)]
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        return [
            Problem(PATH, _describe_error(error), "a complete, valid gzip-compressed tar archive", "corrupt")
        ]
    return problems


def _describe_error(error: BaseException) -> str:
    """Name a decoding failure without echoing archive content."""
    if isinstance(error, EOFError) or "unexpected end" in str(error):
        return "a truncated archive"
    if isinstance(error, tarfile.TarError):
        return "not a tar archive (or a damaged header)"
    return f"damaged compressed data ({type(error).__name__})"


class _Prefixed:
    """A stream that first replays bytes already read from it."""

    def __init__(self, prefix: bytes, stream: Readable) -> None:
        self._prefix = prefix
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        """Return the replayed prefix first, then the stream."""
        if self._prefix:
            data, self._prefix = self._prefix, b""
            return data if size < 0 or size >= len(data) else self._split(data, size)
        return self._stream.read(size)

    def _split(self, data: bytes, size: int) -> bytes:
        """Keep the part of the prefix beyond `size` for the next read."""
        self._prefix = data[size:]
        return data[:size]
