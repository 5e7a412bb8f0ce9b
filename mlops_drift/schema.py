"""Schema checks of captured records against the baseline's features: width and field names, mergeable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# How many unknown or absent field names an observation keeps (the smallest, so merging is exact).
MAX_FIELD_NAMES = 20


@dataclass(frozen=True)
class SchemaObservation:
    """Records whose shape differs from the baseline: positional records of another width (dropped) and
    named records with fields the baseline lacks or without some of its fields (kept, absent = missing)."""

    expected_width: int = 0
    records: int = 0  # records checked (kept and dropped)
    mismatched: int = 0  # records whose width or field names differ
    widths: Mapping[int, int] = field(default_factory=dict)  # width -> records, for mismatched widths
    unknown_fields: tuple[str, ...] = ()
    absent_fields: tuple[str, ...] = ()

    @property
    def rate(self) -> float:
        """Share of checked records whose schema differs."""
        return self.mismatched / self.records if self.records else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        widths = {str(width): count for width, count in sorted(self.widths.items())}
        return {
            "expected_width": self.expected_width,
            "records": self.records,
            "mismatched": self.mismatched,
            "widths": widths,
            "unknown_fields": list(self.unknown_fields),
            "absent_fields": list(self.absent_fields),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SchemaObservation:
        """Inverse of to_dict."""
        return cls(
            int(data.get("expected_width", 0)),
            int(data.get("records", 0)),
            int(data.get("mismatched", 0)),
            {int(width): int(count) for width, count in data.get("widths", {}).items()},
            tuple(str(name) for name in data.get("unknown_fields", ())),
            tuple(str(name) for name in data.get("absent_fields", ())),
        )


def _smallest(*groups: Sequence[str]) -> tuple[str, ...]:
    """The smallest MAX_FIELD_NAMES distinct names of the groups."""
    return tuple(sorted({name for group in groups for name in group})[:MAX_FIELD_NAMES])


def merge_schema(a: SchemaObservation, b: SchemaObservation) -> SchemaObservation:
    """Observations of two disjoint parts as one."""
    widths = Counter(a.widths) + Counter(b.widths)
    return SchemaObservation(
        max(a.expected_width, b.expected_width),
        a.records + b.records,
        a.mismatched + b.mismatched,
        dict(widths),
        _smallest(a.unknown_fields, b.unknown_fields),
        _smallest(a.absent_fields, b.absent_fields),
    )


@dataclass
class SchemaTally:
    """Mutable tally kept while parsing one file."""

    names: tuple[str, ...]
    records: int = 0
    mismatched: int = 0
    widths: Counter[int] = field(default_factory=Counter)
    unknown: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)

    def positional(self, widths: Sequence[int]) -> None:
        """Positional records of these widths (mismatched ones are dropped by the caller)."""
        self.records += len(widths)
        wrong = [width for width in widths if width != len(self.names)]
        self.mismatched += len(wrong)
        self.widths.update(wrong)

    def named(self, keys: Sequence[str]) -> None:
        """One named record with these field names."""
        self.records += 1
        unknown, absent = set(keys) - set(self.names), set(self.names) - set(keys)
        self.mismatched += bool(unknown or absent)
        self.unknown |= unknown
        self.absent |= absent

    def observation(self) -> SchemaObservation:
        """The tally as an immutable observation."""
        unknown, absent = _smallest(list(self.unknown)), _smallest(list(self.absent))
        return SchemaObservation(
            len(self.names), self.records, self.mismatched, dict(self.widths), unknown, absent
        )


@dataclass(frozen=True)
class SchemaFinding:
    """The dataset-level schema verdict: drift when more than `threshold` of the records differ."""

    observation: SchemaObservation
    threshold: float

    @property
    def drifted(self) -> bool:
        """True when the share of differing records is above the threshold."""
        return self.observation.mismatched > 0 and self.observation.rate > self.threshold

    def summary(self) -> str:
        """One line for people: how many records differ and how."""
        o = self.observation
        parts = [
            f"{o.mismatched} of {o.records} records differ from the baseline's {o.expected_width} fields"
        ]
        if o.widths:
            parts.append("widths " + ", ".join(f"{w} ({n})" for w, n in sorted(o.widths.items())))
        if o.unknown_fields:
            parts.append("new fields " + ", ".join(o.unknown_fields))
        if o.absent_fields:
            parts.append("absent fields " + ", ".join(o.absent_fields))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        status = "drift" if self.drifted else "ok"
        return {"status": status, "rate": self.observation.rate, "threshold": self.threshold} | (
            self.observation.to_dict() | {"summary": self.summary()}
        )
