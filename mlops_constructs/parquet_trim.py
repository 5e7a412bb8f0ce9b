"""What the Parquet layer leaves out of pyarrow: files never loaded when the register function reads Parquet.

Lambda allows 250 MB unzipped for a function's code plus all its layers, and pyarrow alone unpacks to about
156 MB next to the shared layer's 85 MB. Dropped: C++ headers and Cython sources (build inputs), pyarrow's
own tests, bytecode compiled for the synthesizing Python (not the runtime's), and Arrow Flight and the
Substrait extension module, which pyarrow only loads on `import pyarrow.flight` / `pyarrow.substrait`.
libarrow_substrait.so itself stays: pyarrow's core extension modules link against it (ELF NEEDED), so
`import pyarrow` fails without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

TRIMMED_DIRS = ("include", "src", "tests", "__pycache__")
TRIMMED_FILES = (
    "*.pyx",
    "*.pxd",
    "*.pxi",
    "libarrow_flight*",
    "libarrow_python_flight*",
    "_flight*",
    "_substrait*",
    "_pyarrow_cpp_tests*",
)


def _size(path: Path) -> int:
    """Bytes under a file or directory (symbolic links count as nothing)."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def trim_pyarrow(site: Path) -> int:
    """Delete the unused parts of `site`/pyarrow (an installed package folder); return the bytes freed."""
    package = site / "pyarrow"
    if not package.is_dir():
        raise FileNotFoundError(f"no pyarrow package in {site}")
    freed = 0
    for name in TRIMMED_DIRS:
        for folder in sorted(package.rglob(name), reverse=True):  # deepest first
            if folder.is_dir():
                freed += _size(folder)
                shutil.rmtree(folder)
    for pattern in TRIMMED_FILES:
        for file in package.rglob(pattern):
            if file.is_file() or file.is_symlink():
                freed += _size(file)
                file.unlink()
    return freed
