"""The demo model: a real classifier on scikit-learn's bundled breast-cancer data (no downloads).

`build_demo_model` writes into a folder: `model.tar.gz` (`model.joblib` at the root, the layout of
SageMaker's scikit-learn container; a real endpoint on that container also needs an inference script
named by SAGEMAKER_PROGRAM, which the local emulator does not), `baseline.csv` (header row, the 30
features and the `target` column: the training rows) and `manifest.json` (schema v1).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from mlops_manifest import supported_versions

TARGET = "target"
HELD_OUT_SHARE = 0.3
# Shifted traffic: these five features are multiplied by SHIFT_FACTOR (as if a new scanner measured
# everything 60% larger), a shift that moves each one's Kolmogorov-Smirnov distance past 0.4.
SHIFTED_FEATURES = ("mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness")
SHIFT_FACTOR = 1.6


@dataclass(frozen=True)
class DemoData:
    """The dataset split once: training rows (also the baseline) and held-out rows (normal traffic)."""

    feature_names: tuple[str, ...]
    train_x: np.ndarray[Any, np.dtype[np.float64]]
    train_y: np.ndarray[Any, np.dtype[np.int64]]
    held_out_x: np.ndarray[Any, np.dtype[np.float64]]
    held_out_y: np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class DemoModel:
    """Paths and identity of a built demo model."""

    folder: Path
    artifact: Path
    baseline: Path
    manifest: Path
    model_name: str
    version: str
    sha256: str
    feature_names: tuple[str, ...]


@cache
def demo_data(seed: int = 0) -> DemoData:
    """Load the bundled dataset and split it deterministically."""
    bunch = load_breast_cancer()
    names = tuple(str(n).replace(" ", "_") for n in bunch.feature_names)
    order = np.random.default_rng(seed).permutation(len(bunch.target))
    cut = int(len(order) * (1 - HELD_OUT_SHARE))
    x, y = np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, dtype=np.int64)
    return DemoData(names, x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]])


def train(seed: int = 0) -> Pipeline:
    """Fit a scaled logistic regression (about 0.1 s)."""
    data = demo_data(seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(data.train_x, data.train_y)
    return model


def framework_version() -> str:
    """The SageMaker scikit-learn image version matching the installed scikit-learn, else the newest."""
    versions = supported_versions("sklearn")
    major_minor = ".".join(sklearn.__version__.split(".")[:2])
    matching = [v for v in versions if v.startswith(major_minor + "-")]
    return (matching or versions)[-1]


# SageMaker's scikit-learn container has no default model loader: it imports the entry point from code/.
INFERENCE_SCRIPT = b"""import os

import joblib


def model_fn(model_dir):
    return joblib.load(os.path.join(model_dir, "model.joblib"))
"""


def write_artifact(model: Pipeline, path: Path) -> str:
    """Write `model.tar.gz` with `model.joblib` and `code/inference.py`; return its sha256."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    # gzip's header time is fixed so that the same model always has the same digest.
    with gzip.GzipFile(path, "wb", mtime=0) as packed, tarfile.open(fileobj=packed, mode="w") as archive:
        for name, data in (("model.joblib", buffer.getvalue()), ("code/inference.py", INFERENCE_SCRIPT)):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_baseline(data: DemoData, path: Path) -> None:
    """Write the training rows with a header row and the target as the last column."""
    rows = [",".join([*data.feature_names, TARGET])]
    pairs = zip(data.train_x, data.train_y, strict=True)
    rows += [",".join([*map(repr, x.tolist()), str(int(y))]) for x, y in pairs]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def demo_manifest(model_name: str, version: str, sha256: str, data: DemoData) -> dict[str, Any]:
    """A schema-v1 manifest: sklearn, real-time, canary rollout, capture and drift monitoring on."""
    return {
        "schema_version": "1",
        "model_name": model_name,
        "version": version,
        "artifact": {"file_name": "model.tar.gz", "sha256": sha256},
        "owner": "data-science@example.com",
        "framework": "sklearn",
        "framework_version": framework_version(),
        "description": "Breast-cancer classifier (local demo): answers the probability of 'benign'.",
        "supported_content_types": ["text/csv", "application/json"],
        "inference": {"type": "realtime", "instance_type": "ml.m5.large", "initial_instance_count": 1},
        "data_capture": {"enabled": True, "sampling_percent": 100},
        "deployment": {"strategy": "canary", "canary_percent": 10, "bake_minutes": 10},
        "monitoring": {
            "enabled": True,
            "baseline_dataset_key": f"datasets/{model_name}/{version}/baseline.csv",
            "header_row": True,
            "target_column": TARGET,
            # Labels arrive later as ground truth for the traffic's inference ids (mlops_local.ground_truth).
            "quality": {
                "problem_type": "binary_classification",
                "thresholds": {"accuracy": {"min": 0.9}, "roc_auc": {"min": 0.95}},
                "min_records": 100,
                "schedule": "rate(1 hour)",
            },
        },
        "smoke_test": {
            "payload": ",".join(map(repr, data.held_out_x[0].tolist())),
            "content_type": "text/csv",
            "accept": "application/json",
            "expected_response": {"kind": "json_array", "length": 1},
        },
        "tags": {"project": "mlops-local-demo"},
    }


def build_demo_model(folder: Path, *, model_name: str = "breast-cancer", version: str = "1") -> DemoModel:
    """Train the demo model and write its artifact, baseline and manifest into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = demo_data()
    artifact, baseline, manifest = folder / "model.tar.gz", folder / "baseline.csv", folder / "manifest.json"
    sha256 = write_artifact(train(), artifact)
    _write_baseline(data, baseline)
    document = demo_manifest(model_name, version, sha256, data)
    manifest.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return DemoModel(folder, artifact, baseline, manifest, model_name, version, sha256, data.feature_names)


def _picks(count: int, seed: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Indices of `count` held-out rows drawn with replacement."""
    return np.random.default_rng(seed).integers(0, len(demo_data().held_out_y), size=count)


def normal_rows(count: int, seed: int = 1) -> list[list[float]]:
    """`count` held-out rows (drawn with replacement): traffic from the training distribution."""
    held_out = demo_data().held_out_x
    return [held_out[i].tolist() for i in _picks(count, seed)]


def normal_labels(count: int, seed: int = 1) -> list[int]:
    """The true labels of `normal_rows(count, seed)`, row for row (the ground truth that arrives later)."""
    held_out = demo_data().held_out_y
    return [int(held_out[i]) for i in _picks(count, seed)]


def shifted_rows(count: int, seed: int = 1) -> list[list[float]]:
    """Held-out rows with SHIFTED_FEATURES multiplied by SHIFT_FACTOR: traffic that has drifted."""
    names = demo_data().feature_names
    columns = [names.index(feature) for feature in SHIFTED_FEATURES]
    rows = np.asarray(normal_rows(count, seed), dtype=np.float64)
    rows[:, columns] *= SHIFT_FACTOR
    return [row.tolist() for row in rows]
