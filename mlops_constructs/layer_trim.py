"""What every Lambda layer leaves out of its installed packages: files the functions never load.

Lambda allows 250 MB unzipped for a function's code plus all its layers. Dropped from every package: test
suites, bytecode compiled for the synthesizing Python (not the runtime's), console scripts in `bin/` (their
shebang names the build machine's interpreter), C headers, static libraries, Cython sources and type stubs
(build inputs), and the extra copies of a shared library that wheels carry under its unversioned and full
version names (the loader only opens the SONAME, e.g. `libarrow_python.so.2600`). pyarrow is trimmed further
(mlops_constructs/parquet_trim.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mlops_constructs import parquet_trim

TRIMMED_DIRS = ("tests", "__pycache__", "include")
TRIMMED_FILES = ("*.pyi", "*.pxd", "*.pyx", "*.pxi", "*.h", "*.a")
_SONAME = re.compile(r"(?P<stem>lib.+\.so)\.(?P<major>\d+)")


def size(path: Path) -> int:
    """Bytes under a file or directory (symbolic links count as nothing)."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def remove(paths: list[Path]) -> int:
    """Delete files and folders (deepest first); return the bytes freed."""
    freed = 0
    for path in sorted(set(paths), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            freed += size(path)
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            freed += size(path)
            path.unlink()
    return freed


def trim_site(site: Path) -> int:
    """Delete what no function loads from an installed layer folder (`python/`); return the bytes freed."""
    freed = remove([site / "bin"])
    freed += remove([d for name in TRIMMED_DIRS for d in site.rglob(name) if d.is_dir()])
    freed += remove([f for pattern in TRIMMED_FILES for f in site.rglob(pattern) if not f.is_dir()])
    freed += remove(duplicate_libraries(site))
    if (site / "pyarrow").is_dir():
        freed += parquet_trim.trim_pyarrow(site)
    return freed


def duplicate_libraries(site: Path) -> list[Path]:
    """`libX.so` and `libX.so.A.B.C` where `libX.so.A` (the name the loader opens) sits beside them."""
    duplicates = []
    for soname in site.rglob("lib*.so.*"):
        match = _SONAME.fullmatch(soname.name)
        if match and soname.is_file() and not soname.is_symlink():
            stem, major = match["stem"], match["major"]
            copies = [soname.with_name(stem), *soname.parent.glob(f"{stem}.{major}.*")]
            duplicates += [copy for copy in copies if copy.is_file() and not copy.is_symlink()]
    return duplicates
