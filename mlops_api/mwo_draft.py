"""What a mapping collects field by field: problems, ignored fields, objects to copy; and where it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlops_api.mwo_result import IgnoredField, ObjectCopy
from mlops_api.mwo_types import S3Location, bucket_location, production_value
from mlops_manifest.problems import Problem, describe


@dataclass(frozen=True)
class Destination:
    """The registry a converted body is meant for: its bucket, region and allowed image accounts."""

    registry_bucket: str
    region: str
    image_accounts: tuple[str, ...] | None = None  # None: not known here, left to the register function


@dataclass
class Draft:
    """Problems, ignored fields and copies found while mapping one body."""

    problems: list[Problem] = field(default_factory=list)
    ignored: list[IgnoredField] = field(default_factory=list)
    copies: list[ObjectCopy] = field(default_factory=list)

    def ignore(self, name: str, value: Any, reason: str) -> None:
        """Record a field that is accepted and not carried over (nothing when it was left out)."""
        if value is not None:
            self.ignored.append(IgnoredField(field=name, found=describe(value), reason=reason))

    def stage_value(self, name: str, value: str | dict[str, str]) -> str | None:
        """Production's value of a per-stage field; the other stages' values are recorded as ignored."""
        choice = production_value(name, value)
        if choice.problem is not None:
            self.problems.append(choice.problem)
        if choice.dropped:
            reason = (
                "a manifest has one value for every stage; production's (prod) is kept, the others are "
                f"not: {', '.join(choice.dropped)}"
            )
            self.ignored.append(IgnoredField(field=name, found=describe(value), reason=reason))
        return choice.value

    def location(self, name: str, value: str | dict[str, str]) -> S3Location | None:
        """Production's `bucket/prefix` location of a per-stage field, checked."""
        chosen = self.stage_value(name, value)
        if chosen is None:
            return None
        found = bucket_location(name, chosen)
        if isinstance(found, Problem):
            self.problems.append(found)
            return None
        return found

    def checked_ignore(self, name: str, value: str | dict[str, str] | None, reason: str) -> None:
        """Check every stage's value of a location that is not carried over (bad input is still refused)."""
        if value is None:
            return
        values = [value] if isinstance(value, str) else list(value.values())
        found = [problem for v in values if isinstance(problem := bucket_location(name, v), Problem)]
        self.problems.extend(found)
        if not found:
            self.ignore(name, value, reason)
