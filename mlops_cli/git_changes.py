"""What a Git pipeline build works on: the manifests a change touches, and a JUnit report of their checks."""

from __future__ import annotations

import subprocess
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from xml.etree import ElementTree

from mlops_manifest import Problem
from mlops_manifest.registrable import check_manifest
from mlops_manifest.validate import MAX_MANIFEST_BYTES

MANIFEST_NAME = "manifest.json"


def git(repo: Path, *args: str) -> str | None:
    """Output of a git command in the checkout, or None when it fails (e.g. an unknown revision)."""
    result = subprocess.run(  # noqa: S603 (fixed executable, no shell)
        ["git", "-C", str(repo), *args],  # noqa: S607 (git from the build image's PATH)
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout if result.returncode == 0 else None


def repo_file(repo: Path, path: str) -> Path:
    """The checkout's file at `path`; ValueError when it, or a folder on its way, is a symbolic link.

    A link committed to the repository would make the build read a file of the build machine (its
    environment, its credentials) and echo it in a report, upload it as an artifact or bake it into an image.
    """
    target, root = repo / path, repo.resolve()
    current = repo
    for part in Path(path).parts:
        current = current / part
        if current.is_symlink():
            what = "it" if current == target else f"its folder {current.relative_to(repo)}"
            raise ValueError(f"{path}: {what} is a symbolic link; commit the file itself")
    if not target.resolve().is_relative_to(root):
        raise ValueError(f"{path}: lies outside the repository")
    return target


def is_manifest(path: str, filters: Iterable[str]) -> bool:
    """A `models/<model>/<version>/manifest.json` path that one of the pipeline's path globs covers."""
    parts = path.split("/")
    shaped = len(parts) == 4 and parts[0] == "models" and parts[3] == MANIFEST_NAME
    return shaped and any(fnmatch(path, glob) for glob in filters)


def tracked_manifests(repo: Path, filters: Iterable[str]) -> list[str]:
    """Every manifest of the checkout under the filters."""
    listed = git(repo, "ls-files", "-z", "--", "models") or ""
    return sorted(path for path in listed.split("\0") if path and is_manifest(path, tuple(filters)))


def changed_manifests(repo: Path, base: str, filters: Iterable[str]) -> list[str]:
    """Manifests added or changed since the merge base with `base`; all of them when `base` is unknown
    (a shallow or detached checkout), so nothing is ever skipped unchecked."""
    filters = tuple(filters)
    diff = git(repo, "diff", "--name-only", "--diff-filter=AMR", "-z", f"{base}...HEAD")
    if diff is None:
        return tracked_manifests(repo, filters)
    return sorted(path for path in diff.split("\0") if path and is_manifest(path, filters))


@dataclass(frozen=True)
class Checked:
    """One manifest of the checkout and every problem the register function would report."""

    path: str
    problems: tuple[Problem, ...]


def check_all(repo: Path, paths: Iterable[str], region: str, accounts: Collection[str]) -> list[Checked]:
    """Run the register function's manifest checks (as `mlops validate` does) on each path."""
    checked = []
    for path in paths:
        try:
            with repo_file(repo, path).open("rb") as handle:
                raw = handle.read(MAX_MANIFEST_BYTES + 1)
        except ValueError as error:
            found = str(error).removeprefix(f"{path}: ")
            problem = Problem("$", found, "a regular file in the repository", "symbolic_link")
            checked.append(Checked(path, (problem,)))
            continue
        _, _, problems = check_manifest(raw, region, accounts, size=len(raw))
        checked.append(Checked(path, tuple(problems)))
    return checked


def junit_report(checked: list[Checked]) -> bytes:
    """A JUnit XML report (a CodeBuild test report): one test case per manifest, one failure per problem."""
    failures = sum(1 for item in checked if item.problems)
    suite = ElementTree.Element(
        "testsuite", name="mlops validate", tests=str(len(checked)), failures=str(failures)
    )
    for item in checked:
        case = ElementTree.SubElement(suite, "testcase", classname="manifest", name=item.path)
        for problem in item.problems:
            message = f"{problem.path}: found {problem.found}"
            failure = ElementTree.SubElement(case, "failure", message=message)
            failure.text = f"{problem.path}: found {problem.found}; allowed: {problem.allowed}"
    document: bytes = ElementTree.tostring(suite, encoding="utf-8", xml_declaration=True)
    return document
