"""Write the committed JSON Schemas under docs/ (manifest, training spec); a test fails when one is stale."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Schema name (also its id's path) -> the committed file.
FILES = {
    "manifest": ROOT / "docs" / "manifest.schema.json",
    "training-spec": ROOT / "docs" / "training-spec.schema.json",
}


def render(name: str) -> str:
    """Return one schema document as it should be committed."""
    sys.path.insert(0, str(ROOT))
    from pydantic import BaseModel

    from mlops_manifest.json_schema import schema_document
    from mlops_manifest.manifest import Manifest
    from mlops_training.spec import TrainingSpec

    models: dict[str, type[BaseModel]] = {"manifest": Manifest, "training-spec": TrainingSpec}
    model = models[name]
    return schema_document(model, f"https://mlops-orchestrator/{name}/v1.schema.json")


if __name__ == "__main__":
    documents = {name: render(name) for name in FILES}  # puts the repository on the import path
    from mlops_manifest.json_schema import write

    for name, document in documents.items():
        write(FILES[name], document)
