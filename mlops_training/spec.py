"""The training spec, schema version 1: one JSON document per model, validated before any job starts."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from mlops_manifest.base import MimeType, ModelName, PathSegment, ShortText, StrictModel
from mlops_manifest.manifest import Owner
from mlops_training.base import TrainingS3Uri, refuse
from mlops_training.evaluation import Evaluation
from mlops_training.job import JobSettings
from mlops_training.policy import ChampionChallenger, Retraining
from mlops_training.resources import Resources
from mlops_training.serving import Serving
from mlops_training.tuning import HyperparameterName, Tuning

SCHEMA_VERSION = "1"

HyperparameterValue = Annotated[str, StringConstraints(max_length=2500)] | int | float | bool


class Channel(StrictModel):
    """One input channel: its name (the folder the job reads it from) and its S3 location."""

    name: PathSegment
    uri: TrainingS3Uri
    content_type: MimeType = "text/csv"


class TrainingSpec(StrictModel):
    """Training spec v1: the model, the job, its data and settings, the gate, the triggers and serving."""

    schema_version: Literal["1"]
    model_name: ModelName
    owner: Owner
    description: ShortText = ""
    job: JobSettings
    resources: Resources | None = None  # None: the defaults, or nothing for AutoML (it picks instances)
    channels: list[Channel] = Field(min_length=1, max_length=20)
    hyperparameters: dict[HyperparameterName, HyperparameterValue] = Field(
        default_factory=dict, max_length=100
    )
    tuning: Tuning | None = None
    evaluation: Evaluation
    champion_challenger: ChampionChallenger = ChampionChallenger()
    retraining: Retraining = Retraining()
    serving: Serving = Serving()

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """Apply the rules that span sections, reporting all of them at once."""
        from mlops_training.checks import cross_check  # checks import this module's names

        refuse(cross_check(self))
        return self

    def resources_or_default(self) -> Resources:
        """The job's resources, the defaults when the spec leaves them out."""
        return self.resources or Resources()


def hyperparameter_text(value: str | int | float | bool) -> str:
    """The string SageMaker receives for a hyperparameter (JSON spelling for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)
