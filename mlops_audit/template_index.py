"""Where each resource of the synthesized templates sits, and which cdk-nag rules it acknowledges.

The compliance gate (stacks/compliance.py) decides from the templates it validates rather than by walking the
construct tree: every step down the tree is a call into jsii's node process, and the templates already carry
both facts, in each resource's `Metadata`: `aws:cdk:path` (unless path metadata is turned off) and `cdk_nag`,
the acknowledgements of the resource and of its ancestors, as cdk-nag's own aspect writes them.
"""

import json
from dataclasses import dataclass
from pathlib import Path

PATH_KEY = "aws:cdk:path"
NAG_KEY = "cdk_nag"


@dataclass(frozen=True)
class Placed:
    """A resource's template file name and logical id."""

    template: str
    logical_id: str


class TemplateIndex:
    """Resources of a set of template files by construct path, with their acknowledged rule ids."""

    def __init__(self) -> None:
        self._read: set[tuple[Path, int]] = set()
        self._by_path: dict[str, Placed] = {}
        self._acknowledged: dict[Placed, frozenset[str]] = {}
        self._names: dict[str, Path] = {}
        self._ambiguous: set[str] = set()

    def read(self, paths: list[str]) -> None:
        """Index the given template files; a file already read and unchanged since is not read again."""
        for raw in paths:
            path = Path(raw)
            stamp = (path, path.stat().st_mtime_ns)
            if stamp not in self._read:
                self._read.add(stamp)
                self._index(path)

    def _index(self, path: Path) -> None:
        if self._names.setdefault(path.name, path) != path:
            self._ambiguous.add(path.name)  # two assemblies hold a template of that name
        resources = json.loads(path.read_text(encoding="utf-8")).get("Resources", {})
        for logical_id, resource in resources.items():
            metadata = resource.get("Metadata", {})
            placed = Placed(path.name, logical_id)
            if isinstance(metadata.get(PATH_KEY), str):
                self._by_path[metadata[PATH_KEY]] = placed
            rules = metadata.get(NAG_KEY, {}).get("rules_to_suppress", [])
            self._acknowledged[placed] = frozenset(str(rule["id"]) for rule in rules)

    def locate(self, construct_path: str) -> Placed | None:
        """The resource synthesized from the construct at `construct_path`, if its template names it."""
        return self._by_path.get(construct_path)

    def acknowledged(self, placed: Placed) -> frozenset[str]:
        """Rule ids the resource acknowledges; none where the template name does not say which file."""
        if placed.template in self._ambiguous:
            return frozenset()
        return self._acknowledged.get(placed, frozenset())
