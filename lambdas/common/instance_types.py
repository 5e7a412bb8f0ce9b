"""Facts about SageMaker ML instance types that decide blueprint parameters."""

from __future__ import annotations

import re

# Families with local NVMe storage, beyond those whose name carries a "d" attribute (m5d, g4dn, p4de...).
_LOCAL_STORAGE_FAMILIES = frozenset({"g5", "g6", "g6e", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2"})
_FAMILY = re.compile(r"^ml\.(?P<family>[a-z]+\d+(?P<attributes>[a-z-]*))\.")


def has_local_storage(instance_type: str) -> bool:
    """True for instance types with local NVMe storage, which SageMaker encrypts itself."""
    match = _FAMILY.match(instance_type)
    if match is None:
        return False
    return "d" in match["attributes"] or match["family"] in _LOCAL_STORAGE_FAMILIES
