"""Per-record predictions, inference ids and times of parsed capture, built when first asked for.

The drift check reads only the features; the model-quality check reads these too. Column-wise chunks keep
their lines' CSV outputs, ids and times as they are, and their records get per-record values by the per-line
path's own rules (capture_payload.output_predictions) on first use, so both paths give the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlops_drift.capture_payload import Prediction, output_predictions


@dataclass(frozen=True)
class ChunkOutputs:
    """A column-wise chunk's lines: CSV output, id and time per line, and records per line (None: one)."""

    outputs: list[str]
    counts: list[int] | None
    ids: list[str]
    times: list[str | None]

    def record_predictions(self) -> list[Prediction]:
        """One prediction per record (None where the output line is blank)."""
        counts = self.counts or [1] * len(self.outputs)
        return [
            prediction
            for text, count in zip(self.outputs, counts, strict=True)
            for prediction in output_predictions({"data": text, "encoding": "CSV"}, count) or [None] * count
        ]

    def record_ids(self) -> list[str]:
        """Per record, its line's id, or "<id>#<index>" when the line holds several records."""
        if self.counts is None:
            return list(self.ids)
        suffixes = [f"#{i}" for i in range(max(self.counts))]
        return [
            line_id + suffix if count > 1 else line_id
            for line_id, count in zip(self.ids, self.counts, strict=True)
            for suffix in suffixes[:count]
        ]

    def record_times(self) -> list[str | None]:
        """Per record, its line's inference time."""
        if self.counts is None:
            return list(self.times)
        return [when for when, count in zip(self.times, self.counts, strict=True) for _ in range(count)]


@dataclass
class LineOutputs:
    """Per-record values added line by line."""

    predictions: list[Prediction] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    times: list[str | None] = field(default_factory=list)


@dataclass
class RecordOutputs:
    """Every record's prediction, id and time, in record order, kept as the parts they arrived in."""

    parts: list[ChunkOutputs | LineOutputs] = field(default_factory=list)

    def lines(self) -> LineOutputs:
        """The part that line-by-line records are added to (a new one after a column-wise chunk)."""
        if not self.parts or isinstance(self.parts[-1], ChunkOutputs):
            self.parts.append(LineOutputs())
        last = self.parts[-1]
        assert isinstance(last, LineOutputs)
        return last

    def predictions(self) -> list[Prediction]:
        """Every record's prediction."""
        return [
            value
            for part in self.parts
            for value in (part.predictions if isinstance(part, LineOutputs) else part.record_predictions())
        ]

    def ids(self) -> list[str]:
        """Every record's inference id."""
        return [
            value
            for part in self.parts
            for value in (part.ids if isinstance(part, LineOutputs) else part.record_ids())
        ]

    def times(self) -> list[str | None]:
        """Every record's inference time."""
        return [
            value
            for part in self.parts
            for value in (part.times if isinstance(part, LineOutputs) else part.record_times())
        ]
