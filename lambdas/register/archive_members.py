"""What an archive member may be: its name, type and mode, judged alone and against the members before it.

Allowed: regular files and directories with relative, printable UTF-8 names that stay inside the archive,
and ordinary permission bits. Refused: links of any kind (a link's target is resolved at extraction, which
this check cannot vouch for: archive the files themselves, e.g. `tar --dereference`), devices, FIFOs and other
special members, setuid/setgid/sticky bits, and names that two extractors could read differently: absolute
paths, drive letters, backslashes, `..`, control characters, empty or overlong names, and two members that
land on the same file once `./`, repeated slashes and letter case are normalised away.
"""

from __future__ import annotations

import posixpath
import re
import tarfile
from dataclasses import dataclass, field

MAX_NAME_CHARS = 1024  # the whole member path
MAX_SEGMENT_BYTES = 255  # one path segment: NAME_MAX of Linux file systems
_SPECIAL_BITS = 0o7000  # setuid, setgid, sticky
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
ALLOWED_WORDS = (
    "regular files and directories with relative, printable names inside the archive: no links (archive "
    "the files themselves, e.g. tar --dereference), devices or FIFOs, no setuid/setgid/sticky bits, "
    "no absolute paths, drive letters, backslashes or '..', "
    f"names up to {MAX_NAME_CHARS} characters ({MAX_SEGMENT_BYTES} bytes per folder or file name), "
    "each file once (names that differ only by './', '//' or letter case count as the same file)"
)


def normalised(name: str) -> str:
    """The path a member extracts to: `./`, repeated and trailing slashes removed."""
    return posixpath.normpath(name).lstrip("/") if name else ""


def name_problems(name: str, *, is_dir: bool) -> list[str]:
    """Why a member's name is unsafe on its own (empty when it is fine)."""
    if normalised(name) in {"", "."}:
        # `tar -C model -czf model.tar.gz .` lists the archive's root folder as "./": harmless.
        return [] if is_dir and not name.startswith("/") else ["an empty name (or only '.' and '/')"]
    reasons = []
    if name.startswith("/"):
        reasons.append("an absolute path")
    if _DRIVE.match(name):
        reasons.append("a drive letter")
    if "\\" in name:
        reasons.append("a backslash (a Windows path separator)")
    if ".." in name.split("/"):
        reasons.append("a '..' path segment")
    if _CONTROL.search(name):
        reasons.append("a control character (such as NUL or a line break)")
    if any("\udc80" <= char <= "\udcff" for char in name):
        reasons.append("bytes that are not UTF-8")
    if len(name) > MAX_NAME_CHARS:
        reasons.append(f"a name of {len(name)} characters")
    elif any(len(part.encode(errors="surrogateescape")) > MAX_SEGMENT_BYTES for part in name.split("/")):
        reasons.append(f"a folder or file name longer than {MAX_SEGMENT_BYTES} bytes")
    return reasons


def kind_problems(member: tarfile.TarInfo) -> list[str]:
    """Why a member's type or mode is unsafe (empty for a plain file or directory)."""
    if member.issym():
        return [f"a symbolic link (to {member.linkname[:100]!r})"]
    if member.islnk():
        return [f"a hard link (to {member.linkname[:100]!r})"]
    if member.ischr() or member.isblk():
        return ["a device file"]
    if member.isfifo():
        return ["a FIFO (named pipe)"]
    if member.issparse():
        return ["a sparse file (it can extract far larger than it is stored)"]
    if not (member.isreg() or member.isdir()):
        return [f"a special member (tar type {member.type!r})"]
    if member.mode & _SPECIAL_BITS:
        return [f"setuid, setgid or sticky permission bits (mode {member.mode:o})"]
    return []


@dataclass
class MemberIndex:
    """The members seen so far, keyed the way a case-insensitive file system would see them."""

    files: list[str] = field(default_factory=list)
    _seen: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def clash(self, member: tarfile.TarInfo) -> str | None:
        """Record a member; name the earlier member it would overwrite or collide with, if any."""
        path = normalised(member.name)
        key = path.casefold()
        earlier = self._seen.get(key)
        if member.isreg():
            self.files.append(path)
        if earlier is None:
            self._seen[key] = (member.name, member.isdir())
            return None
        earlier_name, earlier_is_dir = earlier
        if earlier_is_dir and member.isdir():
            return None  # a folder listed twice overwrites nothing
        if earlier_name == member.name:
            return "a duplicate of an earlier member with the same name"
        shown = earlier_name[:100]
        return f"the same file as the earlier member {shown!r} (ignoring letter case, './' and '//')"
