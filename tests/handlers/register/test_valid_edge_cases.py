"""Given an unusual but genuine upload, the stricter checks still register it (no false refusals)."""

from __future__ import annotations

import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.handlers.register import artifacts as a
from tests.handlers.register.cases import Manifest, combine, custom_image, serving, setter
from tests.handlers.register.conftest import Registry, registry_world, valid_manifest


@dataclass
class Edge:
    """A valid upload that looks odd."""

    id: str
    artifact: bytes
    edit: Callable[[Manifest], None] = field(default=lambda m: None)


def framework(name: str, version: str) -> Callable[[Manifest], None]:
    return combine(setter("framework", name), setter("framework_version", version))


FOLDER = tarfile.DIRTYPE
EDGES = [
    # `tar -C model -czf model.tar.gz .`: a root "./" folder, "./"-prefixed names, an executable script.
    Edge(
        "tar-of-dot",
        a.tar_gz(
            a.entry("./", FOLDER, mode=0o755),
            a.file_member("./model.joblib", b"weights"),
            a.entry("./code", FOLDER, mode=0o755),
            a.file_member("./code/inference.py", b"def model_fn(model_dir): ..."),
        ),
    ),
    Edge("xgboost-model-file", a.tar_gz(*a.files("xgboost-model")), framework("xgboost", "1.7-1")),
    Edge("xgboost-json-booster", a.tar_gz(*a.files("model.json", ".hidden")), framework("xgboost", "1.7-1")),
    Edge("pytorch-single-pth", a.tar_gz(*a.files("resnet.pth")), framework("pytorch", "2.5")),
    Edge(
        "pytorch-script-and-weights",
        a.tar_gz(*a.files("code/inference.py", "code/requirements.txt", "a.pt", "b.pt")),
        framework("pytorch", "2.5"),
    ),
    Edge(
        "tensorflow-multi-model",
        a.tar_gz(*a.files("encoder/1/saved_model.pb", "encoder/1/variables/variables.index")),
        framework("tensorflow", "2.9"),
    ),
    Edge(
        "huggingface-save-pretrained",
        a.tar_gz(*a.files("config.json", "model.safetensors", "tokenizer.json")),
        framework("huggingface", "4.6"),
    ),
    Edge(
        "aws-image-any-layout",
        a.tar_gz(*a.files("anything/at/all.bin")),
        custom_image("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"),
    ),
    Edge(
        "unicode-text-and-big-finite-numbers",
        a.good_model(),
        combine(
            setter("description", "Modèle de churn — 🤖, 中文"),
            setter(
                "deployment.rollback_alarms", {"http_5xx_rate_percent": 1e-9, "model_latency_ms": 3_600_000}
            ),
        ),
    ),
    Edge("async-without-output-path", a.good_model(), setter("inference", {"type": "async"})),
    Edge(
        "batch-on-a-transform-type",
        a.good_model(),
        serving({"type": "batch", "instance_type": "ml.c5.xlarge", "input_path": "x/"}),
    ),
    Edge(
        "capture-off-at-zero",
        a.good_model(),
        setter("data_capture", {"enabled": False, "sampling_percent": 0}),
    ),
]


@pytest.fixture(scope="module")
def edge_world() -> Iterator[Registry]:
    with registry_world() as world:
        yield world


@pytest.mark.parametrize("index_edge", list(enumerate(EDGES)), ids=[e.id for e in EDGES])
def test_genuine_upload_registers(edge_world: Registry, index_edge: tuple[int, Edge]) -> None:
    index, edge = index_edge
    model = f"edge-{index}"
    manifest = valid_manifest(model=model, artifact=edge.artifact)
    edge.edit(manifest)

    outcome = edge_world.invoke(edge_world.upload(manifest, edge.artifact, model=model))

    assert outcome["status"] == "registered", edge_world.reports()[-1:] or outcome
    [package] = edge_world.packages(model)
    assert package["CustomerMetadataProperties"]["mlops:artifact-sha256"] == manifest["artifact"]["sha256"]
    edge_world.events()  # drain this case's announcements
    edge_world.notifications()
