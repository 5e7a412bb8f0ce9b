"""docs/migrating-from-mwo.md names every MWO field this API accepts and every MWO type it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_api.mwo import BODY_MODELS, ByomMigration, MonitorMigration
from mlops_api.mwo_types import NOT_MAPPED

DOC = (Path(__file__).resolve().parents[3] / "docs" / "migrating-from-mwo.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("model", list(BODY_MODELS.values()), ids=lambda model: model.__name__)
def test_every_field_of_every_mapped_type_is_in_a_table(model):
    missing = [name for name in model.model_fields if f"`{name}`" not in DOC]
    assert missing == []


def test_every_migration_field_is_described():
    names = set(ByomMigration.model_fields) | set(MonitorMigration.model_fields)
    assert [name for name in sorted(names) if f"| `{name}` |" not in DOC] == []


def test_every_mapped_and_unmapped_type_is_named():
    kinds = [str(kind) for kind in BODY_MODELS] + sorted(NOT_MAPPED)
    assert [kind for kind in kinds if f"`{kind}`" not in DOC] == []
