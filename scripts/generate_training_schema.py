"""Write the training spec's JSON Schema to docs/training-spec.schema.json (a test fails when it is stale)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "training-spec.schema.json"


def render() -> str:
    """Return the schema document as it should be committed."""
    sys.path.insert(0, str(ROOT))
    from mlops_training.spec import TrainingSpec

    schema: dict[str, Any] = TrainingSpec.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://mlops-orchestrator/training-spec/v1.schema.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> None:
    """Regenerate the committed schema file."""
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
