"""Built Lambda layers kept outside cdk.out, keyed by their asset hash, so a fresh cdk.out links them.

CDK skips bundling an asset whose folder already exists in the output directory, but a fresh cdk.out (a new
clone, `rm -rf cdk.out`, every test session's temporary outdir) reinstalls both layers from wheels. The key
is the layer's asset hash, which already covers everything that decides the layer's content (requirements,
bundling and trimming code, target Python and platform, the wheels on offer): a key change is a rebuild.
"""

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

CACHE_DIR = Path(__file__).resolve().parent.parent / ".build" / "layers"


def entry_name(layer: str, asset_hash: str) -> str:
    """Cache folder name of one build of `layer` (e.g. the requirements file's stem)."""
    return f"{layer}.{asset_hash}"


def materialize(
    layer: str, asset_hash: str, output_dir: Path, build: Callable[[Path], None], cache_dir: Path = CACHE_DIR
) -> bool:
    """Fill `output_dir` with the layer, calling `build(folder)` first on a miss; True on a cache hit."""
    entry = cache_dir / entry_name(layer, asset_hash)
    hit = entry.is_dir()
    if not hit:
        _publish(entry, build)
        _prune(cache_dir, layer, keep=entry)
    shutil.copytree(entry, output_dir, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)
    return hit


def _publish(entry: Path, build: Callable[[Path], None]) -> None:
    """Build in a private folder, then rename it into place: a failed build leaves no half entry."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
    try:
        build(staging)
        try:
            staging.rename(entry)
        except OSError:
            if not entry.is_dir():  # a concurrent synth (pytest workers) may have published the same key
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _prune(cache_dir: Path, layer: str, keep: Path) -> None:
    """Drop the layer's older builds (each is 60-110 MB); other layers' entries are left alone."""
    for old in cache_dir.glob(entry_name(layer, "*")):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    # Hard links cost no space or time; CDK only reads (zips) a bundled asset and never writes into it.
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, target)
