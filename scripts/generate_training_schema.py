"""Write the training spec's JSON Schema to docs/training-spec.schema.json (a test fails when it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "training-spec.schema.json"


def render() -> str:
    """Return the schema document as it should be committed."""
    sys.path.insert(0, str(ROOT))
    from mlops_manifest.json_schema import schema_document
    from mlops_training.spec import TrainingSpec

    return schema_document(TrainingSpec, "https://mlops-orchestrator/training-spec/v1.schema.json")


if __name__ == "__main__":
    document = render()  # puts the repository on the import path
    from mlops_manifest.json_schema import write

    write(OUTPUT, document)
