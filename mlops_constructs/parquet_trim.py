"""What the pyarrow layer leaves out: all that a Parquet baseline read and the capture CSV reader never load.

Reading a Parquet baseline (mlops_drift.baseline_parquet) loads four of pyarrow's extension modules:
`lib`, `_compute`, `_fs` and `_parquet`; the drift check's capture parser (mlops_drift.capture_arrow) adds
`_csv`. Every other one goes: Arrow Flight, Substrait, CUDA, the cloud file systems (S3, GCS, HDFS, Azure:
`pyarrow.fs` imports each only if present), datasets, Acero, JSON, ORC, Feather, Parquet encryption and
pyarrow's C++ test module, with the shared libraries only they
link (`libarrow_s3`, `libarrow_flight`, ...). The C++ sources go too. libarrow_substrait, libarrow_dataset
and libarrow_acero stay: the kept modules link against them (ELF NEEDED), so `import pyarrow` fails
without them. tests/infra/test_layer_trim.py reads Parquet and capture CSV with a trimmed copy to prove it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

KEPT_EXTENSIONS = ("lib", "_compute", "_fs", "_parquet", "_csv")
TRIMMED_DIRS = ("src",)
# Shared libraries that only the removed extension modules link.
TRIMMED_LIBRARIES = (
    "libarrow_s3.so*",
    "libarrow_flight*",
    "libarrow_python_flight*",
    "libarrow_cuda*",
    "libarrow_python_parquet_encryption*",
    "libgandiva*",
)


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() and not path.is_symlink() else 0


def unused_extensions(package: Path) -> list[Path]:
    """pyarrow's compiled modules (`<name>.cpython-*.so`) that neither reader imports."""
    return [
        module
        for module in package.glob("*.cpython-*.so")
        if module.name.split(".", 1)[0] not in KEPT_EXTENSIONS
    ]


def trim_pyarrow(site: Path) -> int:
    """Delete the unused parts of `site`/pyarrow (an installed package folder); return the bytes freed."""
    package = site / "pyarrow"
    if not package.is_dir():
        raise FileNotFoundError(f"no pyarrow package in {site}")
    freed = 0
    for name in TRIMMED_DIRS:
        folder = package / name
        if folder.is_dir():
            freed += sum(_size(p) for p in folder.rglob("*"))
            shutil.rmtree(folder)
    files = unused_extensions(package) + [f for pattern in TRIMMED_LIBRARIES for f in package.glob(pattern)]
    for file in files:
        freed += _size(file)
        file.unlink()
    return freed
