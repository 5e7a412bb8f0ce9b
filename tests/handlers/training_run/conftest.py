"""A moto world for training runs: a data bucket (channels, code, held-out data) and the two buckets."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambdas.training_run.service import Clients, run_step
from lambdas.training_run.settings import Settings
from tests.handlers.fakes import REGION
from tests.unit.training.samples import minimal_spec

DATA = "ml-data"
REPORTS = "reports"
REGISTRY = "registry"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HELD_OUT = b"age,churned\n30,1\n40,0\n50,1\n60,0\n"


def tar_gz(files: dict[str, bytes]) -> bytes:
    """A gzipped tar holding the given files."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@dataclass
class FakeSageMaker:
    """DescribeTrainingJob of the finished job (moto cannot run one)."""

    described: dict[str, Any] = field(default_factory=dict)

    def describe_training_job(self, TrainingJobName: str) -> dict[str, Any]:  # noqa: N803 (boto3 spelling)
        return {"TrainingJobName": TrainingJobName, **self.described}


@dataclass
class World:
    """The clients, settings and spec of one test, and shortcuts to run steps."""

    s3: Any
    sagemaker: FakeSageMaker
    settings: Settings
    spec: dict[str, Any]

    def step(self, event: dict[str, Any], now: datetime = NOW) -> dict[str, Any]:
        """Run one step with the world's spec."""
        full = {"spec": json.dumps(self.spec), **event}
        return run_step(full, Clients(self.s3, self.sagemaker), self.settings, now)

    def prepare(self, trigger: str = "manual", now: datetime = NOW) -> dict[str, Any]:
        """Prepare a run."""
        arn = "arn:aws:states:us-east-1:123456789012:execution:sm:run"
        return self.step({"action": "prepare", "input": {"trigger": trigger}, "executionArn": arn}, now)

    def put(self, bucket: str, key: str, body: bytes) -> None:
        """Write an object."""
        self.s3.put_object(Bucket=bucket, Key=key, Body=body)

    def read(self, bucket: str, key: str) -> bytes:
        """Read an object."""
        data: bytes = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        return data

    def history(self) -> dict[str, Any]:
        """The model's run history document."""
        document: dict[str, Any] = json.loads(self.read(REPORTS, "training/churn/runs.json"))
        return document

    def keys(self, bucket: str) -> list[str]:
        """Every key in a bucket."""
        return [o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


@pytest.fixture
def world() -> Iterator[World]:
    """Buckets with a valid spec's data in place."""
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        for bucket in (DATA, REPORTS, REGISTRY):
            s3.create_bucket(Bucket=bucket)
        spec = minimal_spec()
        spec["retraining"] = {"drift": {"cool_down_hours": 24, "max_runs": 2, "per": "week"}}
        spec["serving"] = {"monitoring": {"enabled": True}}
        world = World(s3, FakeSageMaker(), Settings(REPORTS, REGISTRY, REGION), spec)
        world.put(DATA, "datasets/churn/train/part-1.csv", b"age,churned\n31,1\n41,0\n")
        world.put(DATA, "code/churn/source.tar.gz", tar_gz({"train.py": b"print('train')\n"}))
        world.put(DATA, "datasets/churn/held-out.csv", HELD_OUT)
        yield world
