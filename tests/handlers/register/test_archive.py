"""Safe-tar and digest checks on in-memory streams (no AWS needed)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

from lambdas.register.archive import MAX_EXTENDED_HEADER_BYTES, inspect_archive
from lambdas.register.digest import CHUNK_BYTES, HashingReader
from lambdas.register.settings import Limits
from tests.handlers.register import artifacts as a

LIMITS = Limits(max_artifact_bytes=10**9, max_uncompressed_bytes=10**6, max_members=10)


def test_good_archive_with_directories_has_no_problems() -> None:
    directory = tarfile.TarInfo("code")
    directory.type = tarfile.DIRTYPE
    data = a.tar_gz((directory, None), a.file_member("code/inference.py", b"x = 1\n"))
    assert inspect_archive(io.BytesIO(data), LIMITS) == []


def test_oversized_pax_header_is_refused_before_buffering() -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("model.bin")
        info.pax_headers = {"comment": "x" * (MAX_EXTENDED_HEADER_BYTES + 10)}
        tar.addfile(info, io.BytesIO(b""))
    limits = Limits(10**9, 10**8, 10)

    [problem] = inspect_archive(io.BytesIO(gzip.compress(raw.getvalue())), limits)

    assert problem.code == "corrupt"


def test_every_unsafe_member_is_listed() -> None:
    link = tarfile.TarInfo("../a")
    link.type, link.linkname = tarfile.SYMTYPE, "/x"
    data = a.tar_gz((link, None), a.file_member("/b", b"1"))

    problems = inspect_archive(io.BytesIO(data), LIMITS)

    assert len(problems) == 2
    assert "'..'" in problems[0].found and "symbolic link" in problems[0].found
    assert "absolute path" in problems[1].found


def test_hashing_reader_reads_in_bounded_chunks() -> None:
    data = b"abc" * (CHUNK_BYTES // 2)
    reader = HashingReader(io.BytesIO(data))

    first = reader.read(-1)
    reader.drain()

    assert len(first) == CHUNK_BYTES
    assert reader.hexdigest() == hashlib.sha256(data).hexdigest() and reader.bytes_read == len(data)
