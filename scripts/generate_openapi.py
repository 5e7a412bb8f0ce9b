"""Write the provisioning API's OpenAPI document to docs/openapi.json (a test fails when it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "openapi.json"


def main() -> None:
    """Regenerate the committed document."""
    sys.path.insert(0, str(ROOT))
    from mlops_api.openapi import render

    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
