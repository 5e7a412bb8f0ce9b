"""Docker-free Lambda bundling at synth: copy project packages, or install pinned Linux arm64 wheels."""

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from mlops_constructs import layer_cache, layer_trim, parquet_trim

REPO_ROOT = Path(__file__).resolve().parent.parent
WHEELS_DIR = REPO_ROOT / ".build" / "lambda-wheels"
REQUIREMENTS = REPO_ROOT / "lambdas" / "requirements.txt"
PARQUET_REQUIREMENTS = REPO_ROOT / "lambdas" / "requirements-parquet.txt"
PYTHON_VERSION = "3.14"  # must match the functions' runtime
_PLATFORMS = ("manylinux_2_28_aarch64", "manylinux2014_aarch64")
_UV_PLATFORM = "aarch64-manylinux_2_28"  # uv's name for the same set: manylinux_2_28 and older tags
_RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer")
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")
# Never used: local bundling always succeeds or raises, but CDK requires an image in BundlingOptions.
_UNUSED_IMAGE = DockerImage.from_registry("local-bundling-only")


@jsii.implements(ILocalBundling)
class _CopyPackages:
    """Copies project packages into the asset, keeping their repository-relative paths."""

    def __init__(self, packages: tuple[str, ...]) -> None:
        self._packages = packages

    # jsii passes the bundling options as one positional struct, unlike the generated protocol's keywords.
    def try_bundle(self, output_dir: str, _options: Any) -> bool:
        for package in self._packages:
            shutil.copytree(REPO_ROOT / package, Path(output_dir) / package, ignore=_IGNORED)
        for init in _parent_inits(self._packages):
            (Path(output_dir) / init).touch()
        return True


@jsii.implements(ILocalBundling)
class _InstallWheels:
    """Installs pinned requirements from the pre-fetched wheels into a layer's python/ folder, trimmed."""

    def __init__(self, requirements: Path, asset_hash: str, trim: Callable[[Path], int]) -> None:
        self._requirements = requirements
        self._asset_hash = asset_hash
        self._trim = trim

    def try_bundle(self, output_dir: str, _options: Any) -> bool:
        # Built once per asset hash into .build/layers, then linked: a fresh cdk.out does not reinstall.
        layer_cache.materialize(self._requirements.stem, self._asset_hash, Path(output_dir), self._build)
        return True

    def _build(self, output_dir: Path) -> None:
        if not any(WHEELS_DIR.glob("*.whl")):
            raise RuntimeError(f"no Lambda wheels in {WHEELS_DIR}: run `make setup` first")
        site = output_dir / "python"
        subprocess.run(_install_command(self._requirements, site), check=True)  # noqa: S603 (no shell)
        _drop_installer_state(site)
        shadowing = [name for name in _RUNTIME_PROVIDED if (site / name).exists()]
        if shadowing:
            raise RuntimeError(
                f"{self._requirements.name} pulls in {shadowing}, which would shadow the runtime's"
            )
        self._trim(site)


def _install_command(requirements: Path, site: Path) -> list[str]:
    """uv installs the wheels (4-5x faster than pip here), offline, for the runtime's Python and CPU."""
    return [
        str(_uv()),
        "pip",
        "install",
        "--quiet",
        "--no-index",  # offline: only the wheels `make setup` fetched
        "--find-links",
        str(WHEELS_DIR),
        "--only-binary",
        ":all:",
        "--python-version",
        PYTHON_VERSION,
        "--python-platform",
        _UV_PLATFORM,
        "--link-mode",
        "copy",  # never hard-link the layer to uv's own cache
        "--target",
        str(site),
        "-r",
        str(requirements),
    ]  # uv compiles no bytecode unless asked: it would be for the synthesizing Python, not the runtime's


def _uv() -> Path:
    """The uv pinned in requirements-dev.txt, installed next to the synthesizing Python."""
    found = Path(sys.executable).parent / "uv"
    if not found.exists():
        raise RuntimeError(f"no uv next to {sys.executable}: run `make setup` first")
    return found


def _drop_installer_state(site: Path) -> None:
    """Remove uv's lock file and per-package cache stamps (timestamps): not part of the packages."""
    (site / ".lock").unlink(missing_ok=True)
    for stamp in site.glob("*.dist-info/uv_cache.json"):
        stamp.unlink()


def package_code(packages: Iterable[str]) -> lambda_.Code:
    """Function code made of the given repository packages (e.g. `lambdas/register`, `mlops_manifest`)."""
    packages = tuple(sorted(set(packages)))
    return lambda_.Code.from_asset(
        str(REPO_ROOT / "lambdas"),
        asset_hash=_hash_files(p for package in packages for p in (REPO_ROOT / package).rglob("*")),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(image=_UNUSED_IMAGE, local=_CopyPackages(packages)),  # type: ignore[arg-type]
    )


def package_asset(scope: Construct, construct_id: str, packages: Iterable[str]) -> s3_assets.Asset:
    """A zip asset of repository packages and folders, e.g. the CLI modules a CodeBuild project runs."""
    packages = tuple(sorted(set(packages)))
    return s3_assets.Asset(
        scope,
        construct_id,
        path=str(REPO_ROOT / "lambdas"),
        asset_hash=_hash_files(p for package in packages for p in (REPO_ROOT / package).rglob("*")),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(image=_UNUSED_IMAGE, local=_CopyPackages(packages)),  # type: ignore[arg-type]
    )


def dependencies_code() -> lambda_.Code:
    """Layer code with the pinned dependencies from lambdas/requirements.txt for Linux arm64, trimmed."""
    return _layer_code(REQUIREMENTS)


def parquet_code() -> lambda_.Code:
    """Layer code with pyarrow (lambdas/requirements-parquet.txt), trimmed to what its two readers load."""
    return _layer_code(PARQUET_REQUIREMENTS)


def _layer_code(requirements: Path, trim: Callable[[Path], int] = layer_trim.trim_site) -> lambda_.Code:
    """A layer installed from the pre-fetched wheels, its asset hash covering every input of the build."""
    asset_hash = layer_hash(requirements, Path(layer_trim.__file__), Path(parquet_trim.__file__))
    return lambda_.Code.from_asset(
        str(REPO_ROOT / "lambdas"),
        asset_hash=asset_hash,
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(
            image=_UNUSED_IMAGE,
            local=_InstallWheels(requirements, asset_hash, trim),  # type: ignore[arg-type]
        ),
    )


def layer_hash(requirements: Path, *code: Path, wheels_dir: Path = WHEELS_DIR) -> str:
    """Asset hash (and cache key) of a layer: whatever decides its content, the wheels on offer included."""
    # The wheel file names carry name, version and platform tags: a re-fetched, different wheel set rebuilds.
    wheels = ",".join(sorted(wheel.name for wheel in wheels_dir.glob("*.whl")))
    return _hash_files(
        [requirements, Path(__file__), *code], extra=f"{PYTHON_VERSION}:{','.join(_PLATFORMS)}:{wheels}"
    )


def _parent_inits(packages: tuple[str, ...]) -> set[str]:
    return {
        f"{parent}/__init__.py"
        for package in packages
        for parent in Path(package).parents
        if parent != Path()
    }


def _hash_files(paths: Iterable[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in sorted(set(paths)):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            name = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path.name
            digest.update(str(name).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
