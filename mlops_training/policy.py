"""What happens around a run: champion/challenger and the retraining triggers."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from mlops_manifest.base import StrictModel
from mlops_manifest.monitoring import Schedule
from mlops_training.base import TrainingS3Prefix


class ChampionChallenger(StrictModel):
    """How a new model (challenger) that scores worse than production (champion) is treated."""

    ask_approval_when_worse: bool = False


class Period(StrEnum):
    """The rolling window a trigger's cap counts runs in (a month is 30 days)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class TriggerLimits(StrictModel):
    """A trigger's brakes: hours to wait after the model's last run, and at most max_runs per period."""

    cool_down_hours: int = Field(default=24, ge=0, le=24 * 365)
    max_runs: int = Field(default=3, ge=1, le=1000)
    per: Period = Period.WEEK


class DriftTrigger(TriggerLimits):
    """Retrain when the drift check raises the model's drift alarm (needs serving.monitoring.enabled)."""


class QualityTrigger(TriggerLimits):
    """Retrain on a model-quality breach (needs serving.monitoring.quality)."""


class ScheduleTrigger(TriggerLimits):
    """Retrain on an EventBridge Scheduler expression."""

    expression: Schedule


class NewDataTrigger(TriggerLimits):
    """Retrain when new training data arrives under an S3 prefix (ending in '/')."""

    prefix: TrainingS3Prefix


class Retraining(StrictModel):
    """Opt-in retraining triggers; a trigger left out never starts a run."""

    drift: DriftTrigger | None = None
    quality: QualityTrigger | None = None
    schedule: ScheduleTrigger | None = None
    new_data: NewDataTrigger | None = None
