"""Invalid-upload cases: how to spoil a valid manifest and/or artifact, and what must be reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.handlers.register import artifacts as a
from tests.handlers.register.conftest import Registry, valid_manifest

Manifest = dict[str, Any]


@dataclass
class Case:
    """One invalid upload: how to spoil the manifest and/or artifact, and the (path, code) pairs expected."""

    id: str
    expected: set[tuple[str, str]]
    edit: Callable[[Manifest], None] = lambda m: None
    artifact: bytes | None = field(default_factory=a.good_model)
    raw_manifest: bytes | None = None
    declared_sha: str | None = None  # default: the real digest of `artifact`
    upload_artifact: bool = True
    words: tuple[str, ...] = ()  # plain words the report must say (in what was found or what is allowed)


def setter(path: str, value: Any) -> Callable[[Manifest], None]:
    def edit(m: Manifest) -> None:
        *parents, last = path.split(".")
        target = m
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value

    return edit


def bad_value(case_id: str, path: str, code: str, value: Any, *, words: tuple[str, ...] = ()) -> Case:
    """The valid manifest with one field set to `value`, refused at that same field with `code`."""
    return Case(case_id, {(path, code)}, setter(path, value), words=words)


def deleter(path: str) -> Callable[[Manifest], None]:
    def edit(m: Manifest) -> None:
        *parents, last = path.split(".")
        target = m
        for part in parents:
            target = target[part]
        del target[last]

    return edit


def combine(*edits: Callable[[Manifest], None]) -> Callable[[Manifest], None]:
    def edit(m: Manifest) -> None:
        for e in edits:
            e(m)

    return edit


def serving(inference: Manifest) -> Callable[[Manifest], None]:
    """The manifest serves with this inference section and no deployment section: the valid manifest's
    canary rollout is for real-time endpoints only."""
    return combine(setter("inference", inference), setter("deployment", {}))


def custom_image(uri: str) -> Callable[[Manifest], None]:
    """The manifest names its own image instead of a framework and version."""
    return combine(deleter("framework"), deleter("framework_version"), setter("image_uri", uri))


def upload_case(world: Registry, case: Case, model: str) -> dict[str, Any]:
    """Upload the case's artifact and manifest under models/<model>/v1/; the manifest's event."""
    if case.raw_manifest is not None:
        return world.upload(case.raw_manifest, case.artifact, model=model)
    manifest = valid_manifest(model=model, artifact=case.artifact or b"")
    if case.declared_sha is not None:
        manifest["artifact"]["sha256"] = case.declared_sha
    case.edit(manifest)
    return world.upload(manifest, case.artifact if case.upload_artifact else None, model=model)


def assert_rejected(world: Registry, case: Case, model: str) -> list[dict[str, str]]:
    """Upload the case under models/<model>/ and check that it is refused; the report's problems."""
    return assert_refused(world, upload_case(world, case, model), case.expected, case.words)


def assert_refused(
    world: Registry, event: dict[str, Any], expected: set[tuple[str, str]], words: Sequence[str] = ()
) -> list[dict[str, str]]:
    """Deliver an uploaded manifest's event and check the rejection: exactly the expected problems, saying
    `words`; nothing registered; the model folder untouched; announced. Returns the problems reported."""
    key = event["detail"]["object"]["key"]
    folder = "/".join(key.split("/")[:2]) + "/"  # models/<model>/
    before = world.keys(folder)

    outcome = world.invoke(event)

    assert outcome["status"] == "rejected"
    assert world.all_package_count() == 0
    assert world.keys(folder) == before
    [report] = [r for r in world.reports() if r["source"]["key"] == key]
    problems: list[dict[str, str]] = report["problems"]
    assert {(p["path"], p["code"]) for p in problems} == expected, problems
    assert all(p["allowed"] for p in problems)
    said = " ".join(f"{p['found']} {p['allowed']}" for p in problems)
    for phrase in words:
        assert phrase in said, (phrase, problems)
    assert "NoneType" not in said and "RecursionError" not in said and "should match pattern" not in said
    [rejected] = world.events("ModelRejected")
    assert rejected["detail"]["source"]["key"] == key
    [note] = world.notifications()
    assert key in note and next(iter(expected))[0] in note
    return problems


def each_case(cases: Sequence[Any], prefix: str) -> pytest.MarkDecorator:
    """Parametrize `model, case` by case id; each case gets its own model folder, `<prefix>-<n>`."""
    models = [f"{prefix}-{n}" for n in range(len(cases))]
    return pytest.mark.parametrize(
        ("model", "case"), list(zip(models, cases, strict=True)), ids=[c.id for c in cases]
    )
