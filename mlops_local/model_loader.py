"""Load a model from a SageMaker `model.tar.gz`: scikit-learn (joblib/pickle) or an XGBoost Booster."""

from __future__ import annotations

import tarfile
import tempfile
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import joblib
import numpy as np

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
# Searched at the archive root in this order (the layouts of SageMaker's sklearn and XGBoost containers).
SKLEARN_FILES = ("model.joblib", "model.pkl")
XGBOOST_FILES = ("xgboost-model", "model.json", "model.ubj")


class ModelLoadError(ValueError):
    """The archive is unreadable or holds no model file this emulator can serve."""


@dataclass
class LoadedModel:
    """A model ready to predict; `predict` returns one JSON-ready value per input row."""

    kind: str  # "sklearn" | "xgboost"
    source: str  # file name inside the archive
    predictor: Callable[[FloatArray], list[Any]]
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def predict(self, rows: FloatArray) -> list[Any]:
        """Predict rows (2-D float array); serialised because not every estimator is thread-safe."""
        with self._lock:
            return self.predictor(rows)


def sklearn_predictions(estimator: Any, rows: FloatArray) -> list[Any]:
    """Positive-class probability for binary classifiers, class probabilities for multiclass, else predict."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="X does not have valid feature names")
        if hasattr(estimator, "predict_proba"):
            proba = np.asarray(estimator.predict_proba(rows), dtype=np.float64)
            if proba.ndim == 2 and proba.shape[1] == 2:
                return [float(p) for p in proba[:, 1]]
            return [[float(p) for p in row] for row in proba]
        out = np.asarray(estimator.predict(rows))
    if out.dtype.kind in "fiub":
        return out.astype(np.float64).tolist()  # type: ignore[no-any-return]
    return [str(v) for v in out]


def xgboost_predictions(booster: Any, rows: FloatArray) -> list[Any]:
    """Booster output as the SageMaker XGBoost container returns it (probabilities for binary:logistic)."""
    import xgboost as xgb

    matrix = xgb.DMatrix(rows, feature_names=booster.feature_names, missing=np.nan)
    return np.asarray(booster.predict(matrix), dtype=np.float64).tolist()  # type: ignore[no-any-return]


def _load_xgboost(path: Path) -> Any:
    """Load a Booster saved natively (JSON/UBJSON/binary) or pickled (older SageMaker containers)."""
    import xgboost as xgb

    try:
        with warnings.catch_warnings():
            # `xgboost-model` has no extension: XGBoost guesses the format and says so.
            warnings.filterwarnings("ignore", message=".*Unknown file format", category=UserWarning)
            return xgb.Booster(model_file=str(path))
    except (xgb.core.XGBoostError, ValueError):  # not a native model file: a pickle
        loaded = joblib.load(path)
    return loaded.get_booster() if hasattr(loaded, "get_booster") else loaded


def load_model_dir(folder: Path) -> LoadedModel:
    """Load the first known model file at the root of an extracted artifact."""
    for name in SKLEARN_FILES:
        if (folder / name).is_file():
            estimator = joblib.load(folder / name)
            return LoadedModel("sklearn", name, partial(sklearn_predictions, estimator))
    for name in XGBOOST_FILES:
        if (folder / name).is_file():
            booster = _load_xgboost(folder / name)
            return LoadedModel("xgboost", name, partial(xgboost_predictions, booster))
    found = sorted(p.name for p in folder.iterdir())
    expected = ", ".join(SKLEARN_FILES + XGBOOST_FILES)
    raise ModelLoadError(f"no model file at the archive root (found {found}; expected one of {expected})")


def load_artifact(artifact: Path) -> LoadedModel:
    """Extract `model.tar.gz` safely (tarfile's `data` filter) into a temporary folder and load it."""
    with tempfile.TemporaryDirectory(prefix="mlops-model-") as tmp:
        try:
            with tarfile.open(artifact, "r:*") as archive:
                archive.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise ModelLoadError(f"cannot extract {artifact}: {error}") from error
        try:
            return load_model_dir(Path(tmp))
        except ModelLoadError:
            raise
        except Exception as error:  # unpickling runs arbitrary code; any failure is a load error
            raise ModelLoadError(f"cannot load the model in {artifact}: {error}") from error
