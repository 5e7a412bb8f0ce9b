"""The demo model is a real, quickly built model with a valid manifest, a baseline and drifting traffic."""

import csv
import hashlib
import io
import json
import tarfile
import time

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer

from mlops_drift import ks_distance
from mlops_local.demo_model import (
    SHIFTED_FEATURES,
    build_demo_model,
    demo_data,
    normal_rows,
    shifted_rows,
)
from mlops_manifest import Manifest, resolve_image, validate_manifest


def test_build_is_fast_and_writes_the_three_files(tmp_path):
    started = time.monotonic()
    built = build_demo_model(tmp_path, model_name="bc", version="7")
    assert time.monotonic() - started < 5
    assert {p.name for p in tmp_path.iterdir()} == {"model.tar.gz", "baseline.csv", "manifest.json"}
    assert built.sha256 == hashlib.sha256(built.artifact.read_bytes()).hexdigest()


def test_manifest_is_valid_and_matches_the_artifact(demo):
    manifest = validate_manifest(demo.manifest.read_bytes())
    assert isinstance(manifest, Manifest), manifest
    assert manifest.artifact.sha256 == hashlib.sha256(demo.artifact.read_bytes()).hexdigest()
    assert (manifest.framework, manifest.inference.type, manifest.deployment.strategy) == (
        "sklearn",
        "realtime",
        "canary",
    )
    assert manifest.monitoring.enabled and manifest.monitoring.header_row
    assert isinstance(resolve_image("sklearn", manifest.framework_version, "us-east-1", "cpu"), str)
    payload = [float(v) for v in manifest.smoke_test.payload.split(",")]
    assert any(np.allclose(payload, row) for row in load_breast_cancer().data)  # a real row


def test_artifact_holds_the_model_and_its_entry_point_and_is_reproducible(demo, tmp_path):
    # The scikit-learn container loads nothing by itself: code/inference.py's model_fn loads model.joblib.
    with tarfile.open(demo.artifact) as archive:
        assert archive.getnames() == ["model.joblib", "code/inference.py"]
        script = archive.extractfile("code/inference.py").read().decode()
    assert "def model_fn(model_dir)" in script and '"model.joblib"' in script
    assert build_demo_model(tmp_path).sha256 == demo.sha256


def test_model_is_a_real_classifier(demo):
    with tarfile.open(demo.artifact) as archive:
        model = joblib.load(io.BytesIO(archive.extractfile("model.joblib").read()))
    data = demo_data()
    accuracy = float(np.mean(model.predict(data.held_out_x) == data.held_out_y))
    assert accuracy > 0.93


def test_baseline_has_header_features_and_target(demo):
    with demo.baseline.open() as handle:
        rows = list(csv.reader(handle))
    manifest = json.loads(demo.manifest.read_text())
    assert rows[0] == [*demo.feature_names, manifest["monitoring"]["target_column"]]
    assert len(rows) - 1 == len(demo_data().train_x) == 398
    assert {r[-1] for r in rows[1:]} == {"0", "1"}


def column(rows, name):
    return np.asarray(rows)[:, demo_data().feature_names.index(name)]


def test_shifted_traffic_drifts_only_on_the_shifted_features():
    baseline = demo_data().train_x
    normal, shifted = normal_rows(300), shifted_rows(300)
    for name in demo_data().feature_names:
        reference = column(baseline, name)
        assert ks_distance(reference, column(normal, name)) < 0.15, name
        distance = ks_distance(reference, column(shifted, name))
        assert (distance > 0.3) if name in SHIFTED_FEATURES else (distance < 0.15), name


def test_normal_rows_come_from_the_held_out_rows():
    held_out = demo_data().held_out_x
    rows = normal_rows(50, seed=3)
    assert len(rows) == 50 and all(any(np.array_equal(r, h) for h in held_out) for r in rows)
    assert normal_rows(50, seed=3) == rows
