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
    """Upload the case and check: rejected with exactly the expected problems in words, nothing registered,
    the uploaded objects untouched, the rejection announced; the report's problems."""
    event = upload_case(world, case, model)
    folder = f"models/{model}/"
    before = world.keys(folder)

    outcome = world.invoke(event)

    assert outcome["status"] == "rejected"
    assert world.all_package_count() == 0
    assert world.keys(folder) == before
    [report] = [r for r in world.reports() if r["source"]["key"] == event["detail"]["object"]["key"]]
    problems: list[dict[str, str]] = report["problems"]
    assert {(p["path"], p["code"]) for p in problems} == case.expected, problems
    assert all(p["allowed"] for p in problems)
    said = " ".join(f"{p['found']} {p['allowed']}" for p in problems)
    for words in case.words:
        assert words in said, (words, problems)
    assert "NoneType" not in said and "RecursionError" not in said and "should match pattern" not in said
    [rejected] = world.events("ModelRejected")
    assert rejected["detail"]["source"]["key"] == event["detail"]["object"]["key"]
    [note] = world.notifications()
    assert event["detail"]["object"]["key"] in note and next(iter(case.expected))[0] in note
    return problems


def each_case(cases: Sequence[Any]) -> pytest.MarkDecorator:
    """Parametrize `index_case` with (index, case) pairs named by case id; the index keeps models apart."""
    return pytest.mark.parametrize("index_case", list(enumerate(cases)), ids=[c.id for c in cases])
