"""Per framework, what its SageMaker serving container loads from the extracted archive (/opt/ml/model).

An archive without it registers, deploys and only then fails its health check ("model failed to load"); this
table lets registration refuse it up front. The product sets no SAGEMAKER_PROGRAM or HF_TASK on its models,
so each rule is the container's behaviour without them. Custom images (no framework) have no requirement.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlops_manifest import Problem

PATH = "artifact"
INFERENCE_SCRIPT = "code/inference.py"
# The XGBoost container loads a pickle or a Booster saved by save_model (JSON, UBJSON or the old binary).
_XGBOOST_SUFFIXES = (".json", ".ubj", ".bst", ".model", ".pkl", ".pickle")


@dataclass(frozen=True)
class ServingLayout:
    """Which files a serving container needs, in words, as a check, and where that is documented."""

    needs: str
    check: Callable[[frozenset[str]], str | None]  # None when the files fit, else what is wrong
    source: str


def _top_level(files: Collection[str]) -> list[str]:
    """Files at the archive root, without hidden ones (which the containers ignore)."""
    return sorted(f for f in files if "/" not in f and not f.startswith("."))


def _xgboost(files: frozenset[str]) -> str | None:
    top = _top_level(files)
    if not top:
        return "no file at the top level of the archive"
    if len(top) > 1:
        # The container loads only the first file the directory listing returns, in no defined order.
        listed = ", ".join(top[:5])
        return f"{len(top)} files at the top level ({listed}): the container loads whichever it lists first"
    name = top[0]
    if name == "xgboost-model" or name.lower().endswith(_XGBOOST_SUFFIXES):
        return None
    return f"the top-level file {name!r}, which is not named like an XGBoost model"


def _sklearn(files: frozenset[str]) -> str | None:
    if INFERENCE_SCRIPT not in files:
        return f"no {INFERENCE_SCRIPT} (the container has no default way to load a scikit-learn model)"
    if not [f for f in files if not f.startswith("code/") and not PurePosixPath(f).name.startswith(".")]:
        return "no model file outside code/"
    return None


def _pytorch(files: frozenset[str]) -> str | None:
    if INFERENCE_SCRIPT in files or "model.pt" in files:
        return None
    weights = [f for f in _top_level(files) if f.endswith((".pt", ".pth"))]
    if len(weights) == 1:
        return None
    if weights:
        return f"{len(weights)} top-level .pt/.pth files ({', '.join(weights[:5])}) and no model.pt"
    return f"neither {INFERENCE_SCRIPT} nor a top-level .pt/.pth file"


def _tensorflow(files: frozenset[str]) -> str | None:
    for name in files:
        path = PurePosixPath(name)
        if path.name == "saved_model.pb" and len(path.parts) >= 2 and path.parts[-2].isdigit():
            return None
    return "no saved_model.pb inside a numbered version folder"


def _huggingface(files: frozenset[str]) -> str | None:
    if "config.json" in files or INFERENCE_SCRIPT in files:
        return None
    return f"neither a top-level config.json nor {INFERENCE_SCRIPT}"


LAYOUTS: dict[str, ServingLayout] = {
    # sagemaker-xgboost-container, algorithm_mode/serve_utils.py (get_loaded_booster): without a user
    # script it loads the first non-hidden file at the model root; sagemaker.readthedocs.io, "Use XGBoost
    # with the SageMaker Python SDK" (bring your own model: `xgboost-model`).
    "xgboost": ServingLayout(
        "exactly one top-level model file: xgboost-model, or a Booster saved as .json, .ubj, .bst or .model, "
        "or a pickle (.pkl)",
        _xgboost,
        "SageMaker XGBoost container (algorithm mode)",
    ),
    # sagemaker-scikit-learn-container, serving.py: default_model_fn raises "Please provide a model_fn";
    # the SageMaker Python SDK repacks the entry point into code/ (sagemaker.readthedocs.io, "Using
    # Scikit-learn with the SageMaker Python SDK", Deploy Endpoints from Model Data).
    "sklearn": ServingLayout(
        f"{INFERENCE_SCRIPT} defining model_fn, plus the model file(s) it loads outside code/",
        _sklearn,
        "SageMaker scikit-learn container",
    ),
    # sagemaker-pytorch-inference-toolkit, default_pytorch_inference_handler.py (default_model_fn loads
    # model.pt or the only .pt/.pth file) and sagemaker_inference/environment.py (code/inference.py is
    # the default user module); sagemaker.readthedocs.io, "Use PyTorch ...", Model Directory Structure.
    "pytorch": ServingLayout(
        f"{INFERENCE_SCRIPT}, or a TorchScript model.pt (or exactly one .pt/.pth file) at the top level",
        _pytorch,
        "SageMaker PyTorch inference container",
    ),
    # deep-learning-containers, tensorflow/inference/sagemaker/tfs_utils.py (find_models): a SavedModel is
    # a saved_model.pb whose folder is a version number; sagemaker.readthedocs.io, "Deploying to TensorFlow
    # Serving Endpoints" (model.tar.gz layout <version>/saved_model.pb).
    "tensorflow": ServingLayout(
        "a SavedModel: <version number>/saved_model.pb (optionally inside a model folder), "
        "e.g. 1/saved_model.pb",
        _tensorflow,
        "SageMaker TensorFlow Serving container",
    ),
    # sagemaker-huggingface-inference-toolkit, handler_service.py (load): without HF_TASK the task is read
    # from config.json at the model root, unless code/inference.py defines model_fn; huggingface.co/docs/
    # sagemaker, "Deploy models to Amazon SageMaker" (model.tar.gz from save_pretrained).
    "huggingface": ServingLayout(
        "a top-level config.json with the weights beside it (as save_pretrained writes), "
        f"or {INFERENCE_SCRIPT}",
        _huggingface,
        "Hugging Face inference container",
    ),
}


def model_file_problems(framework: str | None, files: Collection[str]) -> list[Problem]:
    """A problem when the framework's serving container would find nothing to load in these files."""
    layout = LAYOUTS.get(framework or "")
    if layout is None:
        return []  # a custom image decides its own layout
    wrong = layout.check(frozenset(files))
    if wrong is None:
        return []
    allowed = f"what the {layout.source} loads: {layout.needs}"
    return [Problem(PATH, wrong, allowed, "no_model_file")]
