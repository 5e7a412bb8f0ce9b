"""Synthetic data and SageMaker data-capture files in the service's exact JSON Lines format."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from mlops_drift import DatasetProfile, batch_from_arrays, profile

FEATURES = ("tenure", "spend", "plan")
PLANS = np.array(["basic", "plus", "pro"], dtype=object)


@dataclass(frozen=True)
class Rows:
    """Raw feature columns (the independent reference for the engine's results)."""

    tenure: np.ndarray
    spend: np.ndarray
    plan: np.ndarray

    def __len__(self) -> int:
        return len(self.tenure)

    def csv(self, i: int) -> str:
        return f"{float(self.tenure[i])!r},{float(self.spend[i])!r},{self.plan[i]}"


def make_rows(
    n: int, seed: int, *, shift: float = 0.0, plan_weights: tuple[float, ...] = (0.5, 0.3, 0.2)
) -> Rows:
    """n rows; `shift` moves tenure's mean by that many standard deviations."""
    rng = np.random.default_rng(seed)
    tenure = np.round(rng.normal(24.0 + 6.0 * shift, 6.0, n), 3)
    spend = np.round(rng.gamma(2.0, 30.0, n), 2)
    plan = rng.choice(PLANS, size=n, p=np.array(plan_weights) / sum(plan_weights))
    return Rows(tenure, spend, plan)


def baseline_profile(rows: Rows) -> DatasetProfile:
    """The baseline profile as registration stores it (to_dict JSON)."""
    return profile(batch_from_arrays({"tenure": rows.tenure, "spend": rows.spend}, {"plan": list(rows.plan)}))


def capture_line(row_csv: str, score: float, when: datetime, inference_id: str | None = None) -> str:
    """One capture record exactly as SageMaker writes it (one line, CSV in and out)."""
    # SageMaker's key order: eventId, inferenceId (when the caller sent one), inferenceTime.
    metadata = {"eventId": str(uuid.uuid4())}
    if inference_id is not None:
        metadata["inferenceId"] = inference_id
    metadata["inferenceTime"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(
        {
            "captureData": {
                "endpointInput": {
                    "observedContentType": "text/csv",
                    "mode": "INPUT",
                    "data": row_csv,
                    "encoding": "CSV",
                },
                "endpointOutput": {
                    "observedContentType": "text/csv; charset=utf-8",
                    "mode": "OUTPUT",
                    "data": f"{score}",
                    "encoding": "CSV",
                },
            },
            "eventMetadata": metadata,
            "eventVersion": "0",
        },
        separators=(",", ":"),
    )


def capture_body(
    rows: Rows,
    when: datetime,
    start: int = 0,
    stop: int | None = None,
    ids: bool = False,
    scores: np.ndarray | None = None,
) -> bytes:
    """A capture file holding rows[start:stop]; inference ids "inf-<i>" when ids is set."""
    stop = len(rows) if stop is None else stop
    lines = [
        capture_line(
            rows.csv(i), 0.5 if scores is None else float(scores[i]), when, f"inf-{i}" if ids else None
        )
        for i in range(start, stop)
    ]
    return ("\n".join(lines) + "\n").encode()


def ground_truth_body(labels: dict[str, object], encoding: str = "CSV") -> bytes:
    """A ground-truth file in SageMaker's format (one JSON line per label)."""
    lines = [
        json.dumps(
            {
                "groundTruthData": {
                    "data": json.dumps(v) if encoding == "JSON" else f"{v}",
                    "encoding": encoding,
                },
                "eventMetadata": {"eventId": k},
                "eventVersion": "0",
            }
        )
        for k, v in labels.items()
    ]
    return ("\n".join(lines) + "\n").encode()
