"""Builders of model archives, good and hostile, for the register tests."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _member(
    name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, linkname: str = "", mode: int = 0o644
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname, info.mode = kind, size, linkname, mode
    return info


Member = tuple[tarfile.TarInfo, bytes | None]


def tar_gz(*members: Member) -> bytes:
    """A gzip-compressed tar of the given (header, content) pairs."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, content in members:
            tar.addfile(info, io.BytesIO(content) if content is not None else None)
    return gzip.compress(raw.getvalue(), mtime=0)


def file_member(name: str, content: bytes) -> tuple[tarfile.TarInfo, bytes]:
    return _member(name, size=len(content)), content


def good_model() -> bytes:
    return tar_gz(
        file_member("model.joblib", b"weights" * 100), file_member("code/inference.py", b"print(1)\n")
    )


def with_member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> bytes:
    """A good archive plus one extra member of the given kind."""
    extra = (_member(name, kind, linkname=linkname), None)
    return tar_gz(file_member("model.joblib", b"w"), extra)


def many_members(count: int) -> bytes:
    return tar_gz(*(file_member(f"part-{i}.bin", b"") for i in range(count)))


def zero_bomb(uncompressed_bytes: int) -> bytes:
    """A tiny archive that expands to `uncompressed_bytes` of zeros."""
    return tar_gz(file_member("weights.bin", b"\0" * uncompressed_bytes))


def entry(name: str, kind: bytes = tarfile.REGTYPE, *, mode: int = 0o644, linkname: str = "") -> Member:
    """A member without content (a folder, link, device, ...) of the given kind and mode."""
    return _member(name, kind, linkname=linkname, mode=mode), None


def files(*names: str, content: bytes = b"w") -> tuple[Member, ...]:
    """Regular members with the same small content."""
    return tuple(file_member(name, content) for name in names)


def sklearn_model(*extra: Member) -> bytes:
    """A model the scikit-learn container can load, plus extra members."""
    return tar_gz(*files("model.joblib", "code/inference.py"), *extra)


def pax_named(header_name: str, real_name: str, content: bytes = b"w") -> Member:
    """A member whose ustar header says one name and whose PAX `path` record (which wins) another."""
    info, data = file_member(header_name, content)
    info.pax_headers = {"path": real_name}
    return info, data


def ratio_bomb(expanded_bytes: int) -> bytes:
    """A sklearn-shaped archive whose padding file expands about 1000 times."""
    return sklearn_model(file_member("padding.bin", b"\0" * expanded_bytes))
