"""checkov skips (inline template metadata and the config file's `skip-check`) and whether each still applies.

A skip applies when, with every skip removed, checkov fails that check on that resource (or, for a
config-wide skip, anywhere). tests/infra/test_stale_acknowledgements.py runs checkov without the skips.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ANY_RESOURCE = "*"


@dataclass(frozen=True)
class Skip:
    """One skipped checkov check: on one resource of one template, or on any resource (config-wide)."""

    template: str
    resource: str
    check: str
    reason: str


@dataclass(frozen=True)
class Failure:
    """One failed checkov check."""

    template: str
    resource: str
    check: str


def inline_skips(template_name: str, template: dict[str, Any]) -> list[Skip]:
    """Skips recorded in resource metadata (mlops_constructs/acknowledge.py: skip_checkov)."""
    return [
        Skip(template_name, logical_id, skip["id"], skip.get("comment", ""))
        for logical_id, resource in template.get("Resources", {}).items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]


def without_inline_skips(template: dict[str, Any]) -> dict[str, Any]:
    """A copy of the template whose resources carry no checkov skip."""
    stripped = copy.deepcopy(template)
    for resource in stripped.get("Resources", {}).values():
        resource.get("Metadata", {}).pop("checkov", None)
    return stripped


def config_skips(config: dict[str, Any]) -> list[Skip]:
    """The config file's `skip-check` entries, each a skip on every resource."""
    return [Skip(ANY_RESOURCE, ANY_RESOURCE, str(check), "") for check in config.get("skip-check", []) or []]


def read_config(path: Path) -> dict[str, Any]:
    """The checkov YAML config file as a mapping."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: a checkov config must be a mapping of settings")
    return loaded


def failures(checkov_json: dict[str, Any]) -> list[Failure]:
    """Failed checks of one checkov JSON report (`-o json`); templates relative to the scanned folder."""
    return [
        Failure(check["file_path"].lstrip("/"), str(check["resource"]).rsplit(".", 1)[-1], check["check_id"])
        for check in checkov_json["results"]["failed_checks"]
    ]


def stale_skips(skips: Iterable[Skip], failed: Iterable[Failure]) -> list[Skip]:
    """Skips that match no failed check: the check passes without them, so they accept nothing."""
    failed = list(failed)
    failed_keys = {(f.template, f.resource, f.check) for f in failed}
    failed_checks = {f.check for f in failed}

    def applies(skip: Skip) -> bool:
        if skip.resource == ANY_RESOURCE:
            return skip.check in failed_checks
        return (skip.template, skip.resource, skip.check) in failed_keys

    return [skip for skip in skips if not applies(skip)]
