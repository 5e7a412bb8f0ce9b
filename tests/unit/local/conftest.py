"""Local-mode fixtures: a moto server on a free loopback port, the demo model, an XGBoost Booster."""

import io
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mlops_local.demo_model import DemoModel, build_demo_model, demo_data


@pytest.fixture(autouse=True)
def aws_env(monkeypatch):
    """Placeholder credentials and region; never a real profile."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "MLOPS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """A moto server on 127.0.0.1 and a free port, shared by the session (tests use their own buckets)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(moto_url) -> tuple[object, str]:
    """An S3 client on the moto server and a new, empty bucket."""
    s3 = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1")
    bucket = f"test-{uuid.uuid4().hex[:16]}"
    s3.create_bucket(Bucket=bucket)
    return s3, bucket


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> DemoModel:
    """The demo model, built once."""
    return build_demo_model(tmp_path_factory.mktemp("demo"))


def tar_gz(path: Path, files: dict[str, bytes]) -> Path:
    """Write a model.tar.gz holding the given files."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(scope="session")
def xgb_booster():
    """A small binary:logistic Booster trained on the demo data."""
    import xgboost as xgb

    data = demo_data()
    matrix = xgb.DMatrix(data.train_x, label=data.train_y)
    return xgb.train({"objective": "binary:logistic", "max_depth": 3}, matrix, num_boost_round=8)
