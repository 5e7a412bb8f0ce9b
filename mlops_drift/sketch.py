"""A hashed bitmap over every distinct baseline value of a categorical feature, for unseen-value rates.

Each value sets one bit (blake2b, 64 bits, modulo the size). A current value whose bit is clear was
certainly not in the baseline; a new value whose bit happens to be set (probability f, the bitmap's
fill) escapes. The share of records with new values is therefore estimated as clear / (1 - f): unbiased,
with variance sum(w_i^2) * f / (1 - f) / n^2 over distinct new values carrying w_i of n records.
Size: 8 bits per distinct value rounded up to a power of two, 2^10 to 2^20 bits (at most 128 KiB), so
f = 1 - exp(-d / bits) is about 11.8 % up to 131,072 distinct values and grows beyond.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_BITS = 2**10
MAX_BITS = 2**20
BITS_PER_VALUE = 8
HASH = "blake2b-64"


def _position(value: str, bits: int) -> int:
    """The bit a value sets."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % bits


@dataclass(frozen=True)
class ValueSketch:
    """A bitmap of `bits` bits (little-endian bit order within bytes) over a set of values."""

    bits: int
    bitmap: bytes

    @classmethod
    def of(cls, values: Iterable[str]) -> ValueSketch:
        """The sketch of distinct values."""
        distinct = set(values)
        wanted = BITS_PER_VALUE * 2 ** math.ceil(math.log2(max(len(distinct), 1)))
        bits = min(max(wanted, MIN_BITS), MAX_BITS)
        array = np.zeros(bits // 8, dtype=np.uint8)
        positions = np.fromiter((_position(v, bits) for v in distinct), dtype=np.int64, count=len(distinct))
        np.bitwise_or.at(array, positions // 8, (1 << (positions % 8)).astype(np.uint8))
        return cls(bits, array.tobytes())

    @property
    def fill(self) -> float:
        """Share of bits set."""
        return int(np.unpackbits(np.frombuffer(self.bitmap, dtype=np.uint8)).sum()) / self.bits

    def __contains__(self, value: object) -> bool:
        """False only when the value was certainly not among the sketched values."""
        position = _position(str(value), self.bits)
        return bool(self.bitmap[position // 8] >> (position % 8) & 1)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {"hash": HASH, "bits": self.bits, "bitmap": base64.b64encode(self.bitmap).decode()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ValueSketch:
        """Inverse of to_dict."""
        if data.get("hash") != HASH:
            raise ValueError(f"unsupported value sketch hash {data.get('hash')!r} (readable: {HASH})")
        return cls(int(data["bits"]), base64.b64decode(data["bitmap"]))


def unseen_count(counts: Mapping[Any, int], sketch: ValueSketch) -> int:
    """Records whose value is certainly not in the sketch (counts: value -> records)."""
    return sum(count for value, count in counts.items() if value is not None and value not in sketch)


def unseen_share(unseen: int, present: int, sketch: ValueSketch) -> float:
    """Estimated share of present records whose value the baseline never had (see the module doc)."""
    if not present:
        return 0.0
    return min(1.0, unseen / (1.0 - sketch.fill) / present) if sketch.fill < 1.0 else 1.0
