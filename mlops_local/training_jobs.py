"""The SageMaker job steps of a training state machine, stood in for on the laptop.

Same contract as the jobs: a training (or tuning) job reads its channels from S3 and writes
`<S3OutputPath><job>/output/model.tar.gz`; a batch transform reads the model SageMaker knows by name and
the CSV files under its input prefix and writes `<file>.out` beside the output prefix. Everything lives in
the local S3 (moto); scikit-learn (mlops_local.training) trains in place of the job's container.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from lambdas.common.s3_uri import split_s3_uri
from mlops_local.model_loader import load_artifact
from mlops_local.moto_server import ACCOUNT, REGION, LocalAws
from mlops_local.state_machine import TaskFailedError
from mlops_local.training import train_locally
from mlops_local.training_data import TrainingDataError
from mlops_training.spec import TrainingSpec

_TRAINING_FIELDS = ("RoleArn", "InputDataConfig", "OutputDataConfig", "ResourceConfig", "StoppingCondition")


class LocalJobs:
    """The job integrations of one spec's state machine (the spec says which column is the target)."""

    def __init__(self, aws: LocalAws, spec: TrainingSpec) -> None:
        self._aws, self._spec = aws, spec

    def training_job(self, params: dict[str, Any]) -> dict[str, Any]:
        """createTrainingJob.sync: train, write the artifact, record the job; DescribeTrainingJob's answer."""
        name = str(params["TrainingJobName"])
        self._train(name, params, dict(params.get("HyperParameters", {})))
        described: dict[str, Any] = self._aws.client("sagemaker").describe_training_job(TrainingJobName=name)
        return described

    def tuning_job(self, params: dict[str, Any]) -> dict[str, Any]:
        """createHyperParameterTuningJob.sync: tuning is not run locally; one job with the static values
        stands in and is reported as the best training job."""
        tuning = str(params["HyperParameterTuningJobName"])
        definition = params["TrainingJobDefinition"]
        job = f"{tuning}-001-local"[:63]
        self._train(job, definition, dict(definition.get("StaticHyperParameters", {})))
        return {"HyperParameterTuningJobName": tuning, "BestTrainingJob": {"TrainingJobName": job}}

    def _train(self, name: str, request: dict[str, Any], hyperparameters: dict[str, str]) -> None:
        """Download the channels, train with the job's hyperparameters, upload the artifact."""
        own = {k: v for k, v in hyperparameters.items() if not k.startswith("sagemaker_")}
        spec = self._spec.model_copy(update={"hyperparameters": own})
        s3 = self._aws.client("s3")
        with tempfile.TemporaryDirectory(prefix="mlops-train-") as tmp:
            channels = {}
            for channel in request["InputDataConfig"]:
                folder = Path(tmp) / "in" / str(channel["ChannelName"])
                download_files(s3, channel["DataSource"]["S3DataSource"]["S3Uri"], folder)
                channels[str(channel["ChannelName"])] = folder
            scored = "validation" if "validation" in channels else "train"
            try:
                trained = train_locally(
                    spec,
                    channels=channels,
                    held_out=channels[scored],
                    output=Path(tmp) / "out",
                    job_name=name,
                )
            except TrainingDataError as error:
                raise TaskFailedError(
                    "SageMaker.AmazonSageMakerException", f"training job {name}: {error}"
                ) from None
            output = str(request["OutputDataConfig"]["S3OutputPath"])
            bucket, prefix = split_s3_uri(output if output.endswith("/") else output + "/")
            s3.upload_file(str(trained.artifact), bucket, f"{prefix}{name}/output/model.tar.gz")
        metrics = {f"{scored}:{k}": v for k, v in trained.run.metrics.items()}
        self._record(name, request, hyperparameters, metrics)

    def _record(
        self, name: str, request: dict[str, Any], hyperparameters: dict[str, str], metrics: dict[str, float]
    ) -> None:
        """The job in the local SageMaker, with the metrics it reported (moto makes up its own)."""
        algorithm = request["AlgorithmSpecification"]
        self._aws.client("sagemaker").create_training_job(
            TrainingJobName=name,
            HyperParameters=hyperparameters,
            AlgorithmSpecification={
                "TrainingImage": algorithm["TrainingImage"],
                "TrainingInputMode": algorithm.get("TrainingInputMode", "File"),
            },
            **{field: request[field] for field in _TRAINING_FIELDS},
        )
        from moto.sagemaker.models import sagemaker_backends  # the server runs in this process

        job = sagemaker_backends[ACCOUNT][REGION].training_jobs[name]
        job.final_metric_data_list = [{"MetricName": k, "Value": v} for k, v in sorted(metrics.items())]

    def transform_job(self, params: dict[str, Any]) -> dict[str, Any]:
        """createTransformJob.sync: predict every line of every input file with the named model."""
        s3, sagemaker = self._aws.client("s3"), self._aws.client("sagemaker")
        model = sagemaker.describe_model(ModelName=params["ModelName"])["PrimaryContainer"]["ModelDataUrl"]
        source = params["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"]
        out_bucket, out_prefix = split_s3_uri(params["TransformOutput"]["S3OutputPath"])
        with tempfile.TemporaryDirectory(prefix="mlops-transform-") as tmp:
            artifact = Path(tmp) / "model.tar.gz"
            s3.download_file(*split_s3_uri(model), str(artifact))
            loaded = load_artifact(artifact)
            for file in download_files(s3, source, Path(tmp) / "in"):
                rows = [[float(v) for v in row] for row in csv.reader(io.StringIO(file.read_text())) if row]
                lines = [_line(p) for p in loaded.predict(np.asarray(rows, dtype=np.float64))]
                key = f"{out_prefix.rstrip('/')}/{file.name}.out".lstrip("/")
                s3.put_object(Bucket=out_bucket, Key=key, Body=("\n".join(lines) + "\n").encode())
        return {"TransformJobName": params["TransformJobName"], "TransformJobStatus": "Completed"}


def _line(prediction: Any) -> str:
    """One output line as the container writes it: a number, or a CSV of class probabilities."""
    return ",".join(map(str, prediction)) if isinstance(prediction, list) else str(prediction)


def download_files(s3: Any, uri: str, folder: Path) -> list[Path]:
    """Every object under an S3 prefix, downloaded into `folder` (flat, by file name)."""
    bucket, prefix = split_s3_uri(uri)
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if item["Key"].endswith("/") or not item["Size"]:
                continue
            target = folder / item["Key"].rsplit("/", 1)[-1]
            s3.download_file(bucket, item["Key"], str(target))
            found.append(target)
    if not found:
        raise TaskFailedError("SageMaker.AmazonSageMakerException", f"no data under {uri}")
    return found
