"""The Parquet layer's trimming keeps pyarrow reading Parquet: proved on a trimmed copy of the local one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from mlops_constructs.parquet_trim import trim_pyarrow

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE_PACKAGES = Path(pa.__file__).resolve().parent.parent
# Runs without site-packages (-S): only the trimmed copy, numpy and the repository are importable.
READER = """
import json, sys
sys.path[:0] = sys.argv[1:3]
import pyarrow
from mlops_drift.baseline_parquet import ParquetSource
with open(sys.argv[3], "rb") as file:
    batch = ParquetSource(file).read(["x", "colour", "flag"], {})
print(json.dumps({
    "pyarrow": pyarrow.__file__,
    "rows": batch.n_rows,
    "x": [None if v != v else v for v in batch.numeric["x"].tolist()],
    "colour": batch.categorical["colour"].tolist(),
    "flag": batch.categorical["flag"].tolist(),
}))
"""


def trimmed_copy(site: Path) -> int:
    """Copy the local pyarrow (and link numpy) into `site`, trim it, and return the bytes freed."""
    shutil.copytree(SITE_PACKAGES / "pyarrow", site / "pyarrow", symlinks=True)
    for name in ("numpy", "numpy.libs"):
        if (SITE_PACKAGES / name).exists():
            (site / name).symlink_to(SITE_PACKAGES / name)
    return trim_pyarrow(site)


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def test_trimmed_pyarrow_reads_parquet_without_flight_or_build_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    original = size(SITE_PACKAGES / "pyarrow")
    x, colour, flag = [1.5, None, -2.0, 4.0], ["red", "blue", None, "red"], [True, False, True, None]
    table = pa.table({"x": x, "colour": pa.array(colour).dictionary_encode(), "flag": flag})
    pq.write_table(table, tmp_path / "b.parquet", compression="snappy", row_group_size=2)

    freed = trimmed_copy(site)

    package = site / "pyarrow"
    assert freed == original - size(package) and freed > 10 * 1024**2
    for gone in ("include", "src", "tests", "_flight*", "libarrow_flight*", "_substrait*", "*.pyx"):
        assert not list(package.glob(gone)), gone
    assert list(package.glob("libarrow_substrait*")), "kept: pyarrow's core modules link against it"
    result = subprocess.run(
        [sys.executable, "-S", "-E", "-c", READER, str(site), str(REPO_ROOT), str(tmp_path / "b.parquet")],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    read = json.loads(result.stdout)
    assert Path(read["pyarrow"]).is_relative_to(package)
    assert read == {
        "pyarrow": read["pyarrow"],
        "rows": 4,
        "x": x,
        "colour": colour,
        "flag": ["true", "false", "true", None],
    }
