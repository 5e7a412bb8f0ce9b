"""Where a run's files live in the reports bucket, and the parts of a run the later steps read back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lambdas.training_run.errors import TrainingRunError
from mlops_training.job import AutoMLJob
from mlops_training.manifest_from_run import DataInput
from mlops_training.spec import TrainingSpec

# The state machine writes training output under training/<model>/jobs/ (the construct uses the same name).
JOBS_FOLDER = "jobs"
FEATURES_FILE = "features.csv"


@dataclass(frozen=True)
class RunLayout:
    """training/<model>/runs/<run>/: held-out features in, predictions out."""

    bucket: str
    model_name: str
    run_name: str

    @property
    def root(self) -> str:
        """The run's folder key."""
        return f"training/{self.model_name}/runs/{self.run_name}/"

    @property
    def features_prefix_uri(self) -> str:
        """What the batch transform reads."""
        return f"s3://{self.bucket}/{self.root}held-out/"

    @property
    def features_uri(self) -> str:
        """The features file itself."""
        return self.features_prefix_uri + FEATURES_FILE

    @property
    def predictions_prefix_uri(self) -> str:
        """Where the batch transform writes (features.csv.out)."""
        return f"s3://{self.bucket}/{self.root}predictions/"

    @property
    def evaluation_model_name(self) -> str:
        """The network-isolated model the transform runs, deleted when the run ends."""
        return f"{self.run_name}-eval"


def evaluation_target(spec: TrainingSpec) -> str:
    """The held-out target column (the evaluation's, else the automl job's)."""
    job = spec.job
    target = spec.evaluation.target_column or (job.target_column if isinstance(job, AutoMLJob) else None)
    if target is None:  # the spec's validation requires it; kept for a clear message
        raise TrainingRunError("evaluation.target_column is missing from the training spec")
    return target


def run_data(run: dict[str, Any]) -> tuple[DataInput, ...]:
    """The channels Prepare digested, as passed on by the state machine."""
    try:
        return tuple(DataInput(str(d["channel"]), str(d["uri"]), str(d["sha256"])) for d in run["data"])
    except (KeyError, TypeError):
        raise TrainingRunError("the run's data list is malformed (expected channel, uri, sha256)") from None
