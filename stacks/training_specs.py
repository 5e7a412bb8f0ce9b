"""The config's training specs, read and validated at synthesis: every problem of every spec, or none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from constructs import Construct

from mlops_config import OrchestratorConfig
from mlops_config.model import TrainingSettings
from mlops_manifest.problems import Problem
from mlops_training.sagemaker_inputs import pipeline_refusals
from mlops_training.spec import TrainingSpec
from mlops_training.validate import validate_training_spec

if TYPE_CHECKING:
    from mlops_constructs.orchestrator_core import OrchestratorCore
    from mlops_constructs.training_pipelines import TrainingPipelines

# Spec paths in the config are relative to the repository root.
REPO_ROOT = Path(__file__).resolve().parent.parent


def training_pipelines(
    scope: Construct, core: OrchestratorCore, config: OrchestratorConfig
) -> TrainingPipelines | None:
    """The training pipelines of `[training]`, or None without it (nothing else changes)."""
    if config.training is None:
        return None
    from mlops_constructs.training_pipelines import TrainingPipelines  # it imports LoadedSpec from here

    specs = load_training_specs(config.training, REPO_ROOT)
    return TrainingPipelines(
        scope, "Training", core=core, specs=specs, image_accounts=config.registry.image_accounts
    )


class TrainingSpecError(Exception):
    """One or more training specs cannot become pipelines; the message names every problem with its file."""


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec, the file it came from and its exact text (passed to the run-time functions)."""

    path: str
    spec: TrainingSpec
    text: str


def load_training_specs(settings: TrainingSettings, root: Path) -> tuple[LoadedSpec, ...]:
    """Read each spec (paths relative to `root`), validate it with the allowed prefixes, refuse what the
    pipeline cannot run and repeated model names; raise TrainingSpecError naming every problem."""
    loaded: list[LoadedSpec] = []
    lines: list[str] = []
    for path in settings.specs:
        result = _load(root, path, settings.allowed_prefixes)
        if isinstance(result, LoadedSpec):
            loaded.append(result)
        else:
            lines += [f"  - {path}: {p.path}: found {p.found}; allowed: {p.allowed}" for p in result]
    names = [item.spec.model_name for item in loaded]
    lines += [
        f"  - {item.path}: model_name: found '{item.spec.model_name}' in another spec too; allowed: one spec "
        "per model"
        for item in loaded
        if names.count(item.spec.model_name) > 1
    ]
    if lines:
        raise TrainingSpecError(f"{len(lines)} problem(s) in the training specs:\n" + "\n".join(lines))
    return tuple(loaded)


def _load(root: Path, path: str, prefixes: tuple[str, ...]) -> LoadedSpec | list[Problem]:
    """One spec, or its problems (an unreadable file is one problem at '$')."""
    try:
        raw = (root / path).read_bytes()
    except OSError as error:
        return [Problem("$", f"no readable file ({error.strerror})", "a training spec file", "unreadable")]
    result = validate_training_spec(raw, allowed_prefixes=prefixes)
    if isinstance(result, list):
        return result
    return pipeline_refusals(result) or LoadedSpec(path, result, raw.decode("utf-8"))
