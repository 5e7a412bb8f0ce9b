"""Artifacts load safely, in the layouts SageMaker's containers use, or fail with a clear error."""

import io
import tarfile

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from mlops_local.demo_model import demo_data
from mlops_local.model_loader import ModelLoadError, load_artifact
from tests.unit.local.conftest import tar_gz


def dumped(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def test_multiclass_classifier_answers_one_probability_per_class(tmp_path):
    x = np.arange(60, dtype=float).reshape(30, 2)
    model = LogisticRegression(max_iter=500).fit(x, np.arange(30) % 3)
    loaded = load_artifact(tar_gz(tmp_path / "m.tar.gz", {"model.pkl": dumped(model)}))
    np.testing.assert_allclose(loaded.predict(x[:4]), model.predict_proba(x[:4]))


def test_regressor_answers_its_prediction(tmp_path):
    x = np.random.default_rng(0).normal(size=(10, 2))
    model = LinearRegression().fit(x, x[:, 0] * 3 + 1)
    loaded = load_artifact(tar_gz(tmp_path / "m.tar.gz", {"model.joblib": dumped(model)}))
    np.testing.assert_allclose(loaded.predict(np.array([[100.0, 5.0]])), [301.0], rtol=1e-6)


def test_pickled_xgboost_sklearn_model_in_xgboost_model_file(tmp_path):
    import xgboost as xgb

    data = demo_data()
    model = xgb.XGBClassifier(n_estimators=5, max_depth=2).fit(data.train_x, data.train_y)
    loaded = load_artifact(tar_gz(tmp_path / "m.tar.gz", {"xgboost-model": dumped(model)}))
    assert loaded.kind == "xgboost"
    expected = model.predict_proba(data.held_out_x[:5])[:, 1]
    np.testing.assert_allclose(loaded.predict(data.held_out_x[:5]), expected, rtol=1e-6)


def test_archive_without_a_model_names_what_it_found(tmp_path):
    with pytest.raises(ModelLoadError, match=r"found \['inference.py'\].*model.joblib"):
        load_artifact(tar_gz(tmp_path / "m.tar.gz", {"inference.py": b"print()"}))


def test_archive_climbing_out_of_its_folder_is_refused(tmp_path):
    with pytest.raises(ModelLoadError, match="cannot extract"):
        load_artifact(tar_gz(tmp_path / "m.tar.gz", {"../evil.joblib": b"x"}))
    assert not (tmp_path.parent / "evil.joblib").exists()


def test_link_outside_is_refused(tmp_path):
    path = tmp_path / "m.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("model.joblib")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(info)
    with pytest.raises(ModelLoadError, match="cannot extract"):
        load_artifact(path)


def test_not_an_archive(tmp_path):
    path = tmp_path / "m.tar.gz"
    path.write_bytes(b"not a tar")
    with pytest.raises(ModelLoadError, match="cannot extract"):
        load_artifact(path)


def test_corrupt_model_file_is_a_load_error(tmp_path):
    with pytest.raises(ModelLoadError, match="cannot load"):
        load_artifact(tar_gz(tmp_path / "m.tar.gz", {"model.joblib": b"garbage"}))
