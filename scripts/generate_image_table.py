"""Regenerate `mlops_manifest/images.json` from the image data shipped by the `sagemaker-core` package.

Run with an interpreter that has `sagemaker-core` installed (a dev-only dependency), e.g.:
    python3 -m venv /tmp/smcore && /tmp/smcore/bin/pip install sagemaker-core==2.27.0
    /tmp/smcore/bin/python scripts/generate_image_table.py
"""

from __future__ import annotations

import json
import re
from importlib import metadata, resources
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent.parent / "mlops_manifest" / "images.json"
FRAMEWORKS = ("sklearn", "xgboost", "pytorch", "tensorflow", "huggingface")
# AWS-owned images that are not framework containers: one unversioned repository per region each.
MONITORS = {"model-monitor": "model-monitor"}  # table key -> image_uri_config file
# xgboost "1" is the built-in algorithm image, not the framework container.
SKIPPED_VERSIONS = {("xgboost", "1")}


def load_config(framework: str) -> dict[str, Any]:
    """Return the inference scope of one framework's image_uri_config file."""
    return dict(_read_config(framework)["inference"])


def _read_config(name: str) -> dict[str, Any]:
    package = resources.files("sagemaker.core") / "image_uri_config" / f"{name}.json"
    config: dict[str, Any] = json.loads(package.read_text())
    return config


def tag_for(prefix: str, processor: str | None, entry: dict[str, Any]) -> str:
    """Build an image tag: prefix, processor, newest Python version and container version, '-'-joined."""
    py_versions = entry.get("py_versions") or []
    py_version = sorted(py_versions, key=_py_key)[-1] if py_versions else None
    container = (entry.get("container_version") or {}).get(processor) if processor else None
    return "-".join(part for part in (prefix, processor, py_version, container) if part)


def _py_key(py_version: str) -> tuple[int, ...]:
    """Sort key for `py3`, `py310`, `py312`."""
    digits = py_version.removeprefix("py")
    return (int(digits[:1] or 0), int(digits[1:] or 0))


def _version_key(version: str) -> tuple[int, ...]:
    """Sort key for versions like `2.6.0` or `1.2-1`."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _huggingface_entry(transformers: str, entry: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """Pick the newest PyTorch base of one transformers version; returns (tag prefix, base entry)."""
    bases = sorted((key for key in entry if key.startswith("pytorch")), key=_version_key)
    if not bases:
        return None
    base = bases[-1]
    return f"{base.removeprefix('pytorch')}-transformers{transformers}", entry[base]


def framework_table(framework: str, registries: dict[str, str]) -> dict[str, Any]:
    """Return aliases and per-version repository, registry id and tags of one framework."""
    scope = load_config(framework)
    versions: dict[str, Any] = {}
    for version, raw in scope["versions"].items():
        if (framework, version) in SKIPPED_VERSIONS:
            continue
        prefix, entry = raw.get("tag_prefix", version), raw
        if framework == "huggingface":
            picked = _huggingface_entry(version, raw)
            if picked is None:
                continue
            prefix, entry = picked
        processors = entry.get("processors") or scope.get("processors") or [None]
        versions[version] = {
            "repository": entry["repository"],
            "registry": _registry_id(entry["registries"], registries),
            "tags": {processor or "cpu": tag_for(prefix, processor, entry) for processor in processors},
        }
    aliases = {k: v for k, v in (scope.get("version_aliases") or {}).items() if v in versions}
    return {"aliases": aliases, "versions": versions}


def monitor_table(name: str, registries: dict[str, str]) -> dict[str, Any]:
    """Return the repository and registry id of an unversioned image (the SDK uses it untagged)."""
    (entry,) = _read_config(name)["versions"].values()
    return {"repository": entry["repository"], "registry": _registry_id(entry["registries"], registries)}


def _registry_id(accounts: dict[str, str], registries: dict[str, Any]) -> str:
    """Deduplicate region→account maps: identical maps share one id."""
    canonical = json.dumps(accounts, sort_keys=True)
    for key, known in registries.items():
        if json.dumps(known, sort_keys=True) == canonical:
            return key
    key = f"r{len(registries)}"
    registries[key] = dict(sorted(accounts.items()))
    return key


def build() -> dict[str, Any]:
    """Build the whole table."""
    registries: dict[str, Any] = {}
    frameworks = {name: framework_table(name, registries) for name in FRAMEWORKS}
    monitors = {key: monitor_table(name, registries) for key, name in MONITORS.items()}
    source = f"sagemaker-core {metadata.version('sagemaker-core')}"
    return {"source": source, "registries": registries, "frameworks": frameworks, "monitors": monitors}


def main() -> None:
    """Write the table next to the manifest package."""
    OUTPUT.write_text(json.dumps(build(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
