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

from mlops_constructs import parquet_trim

REPO_ROOT = Path(__file__).resolve().parent.parent
WHEELS_DIR = REPO_ROOT / ".build" / "lambda-wheels"
REQUIREMENTS = REPO_ROOT / "lambdas" / "requirements.txt"
PARQUET_REQUIREMENTS = REPO_ROOT / "lambdas" / "requirements-parquet.txt"
PYTHON_VERSION = "3.14"  # must match the functions' runtime
_PLATFORMS = ("manylinux_2_28_aarch64", "manylinux2014_aarch64")
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

    def __init__(self, requirements: Path, trim: Callable[[Path], int] | None = None) -> None:
        self._requirements = requirements
        self._trim = trim

    def try_bundle(self, output_dir: str, _options: Any) -> bool:
        if not any(WHEELS_DIR.glob("*.whl")):
            raise RuntimeError(f"no Lambda wheels in {WHEELS_DIR}: run `make setup` first")
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",  # bytecode would be for the synthesizing Python, not the runtime's
            "--no-index",
            "--find-links",
            str(WHEELS_DIR),
            "--only-binary=:all:",
            "--implementation",
            "cp",
            "--python-version",
            PYTHON_VERSION,
            *[arg for platform in _PLATFORMS for arg in ("--platform", platform)],
            "--target",
            str(Path(output_dir) / "python"),
            "-r",
            str(self._requirements),
        ]
        subprocess.run(command, check=True)  # noqa: S603 (fixed argument list, no shell)
        site = Path(output_dir) / "python"
        shadowing = [name for name in _RUNTIME_PROVIDED if (site / name).exists()]
        if shadowing:
            raise RuntimeError(
                f"{self._requirements.name} pulls in {shadowing}, which would shadow the runtime's"
            )
        if self._trim is not None:
            self._trim(site)
        return True


def package_code(packages: Iterable[str]) -> lambda_.Code:
    """Function code made of the given repository packages (e.g. `lambdas/register`, `mlops_manifest`)."""
    packages = tuple(sorted(set(packages)))
    return lambda_.Code.from_asset(
        str(REPO_ROOT / "lambdas"),
        asset_hash=_hash_files(p for package in packages for p in (REPO_ROOT / package).rglob("*")),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(image=_UNUSED_IMAGE, local=_CopyPackages(packages)),  # type: ignore[arg-type]
    )


def dependencies_code() -> lambda_.Code:
    """Layer code with the pinned dependencies from lambdas/requirements.txt for Linux arm64."""
    return lambda_.Code.from_asset(
        str(REPO_ROOT / "lambdas"),
        asset_hash=_hash_files(
            [REQUIREMENTS, Path(__file__)], extra=f"{PYTHON_VERSION}:{','.join(_PLATFORMS)}"
        ),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(image=_UNUSED_IMAGE, local=_InstallWheels(REQUIREMENTS)),  # type: ignore[arg-type]
    )


def parquet_code() -> lambda_.Code:
    """Layer code with pyarrow (lambdas/requirements-parquet.txt), trimmed to what reading Parquet loads."""
    trim_module = Path(parquet_trim.__file__)
    return lambda_.Code.from_asset(
        str(REPO_ROOT / "lambdas"),
        asset_hash=_hash_files(
            [PARQUET_REQUIREMENTS, trim_module, Path(__file__)],
            extra=f"{PYTHON_VERSION}:{','.join(_PLATFORMS)}",
        ),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(
            image=_UNUSED_IMAGE,
            local=_InstallWheels(PARQUET_REQUIREMENTS, parquet_trim.trim_pyarrow),  # type: ignore[arg-type]
        ),
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
            digest.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
