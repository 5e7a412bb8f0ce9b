"""Problems: the user-facing form of every reason an upload is rejected."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from mlops_manifest.text_rules import words_for

# Tags of the inference-settings union: pydantic puts the tag in the error location, the JSON has none.
_UNION_TAGS = frozenset({"realtime", "serverless", "async", "batch"})
_MAX_FOUND_CHARS = 120
_JSON_WORDS = {None: "null", True: "true", False: "false"}


@dataclass(frozen=True)
class Problem:
    """One reason an upload cannot be registered: where, what was found, what is allowed."""

    path: str
    found: str
    allowed: str
    code: str = "invalid"

    def to_dict(self) -> dict[str, str]:
        """Return the problem as a JSON-ready dict."""
        return asdict(self)


def describe(value: Any) -> str:
    """Return a short, log-safe rendering of a found value (JSON's null/true/false, not Python's)."""
    text = _JSON_WORDS[value] if value is None or isinstance(value, bool) else repr(value)
    if len(text) > _MAX_FOUND_CHARS:
        return text[: _MAX_FOUND_CHARS - 3] + "..."
    return text


def loc_to_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic error location as a JSON path like `inference.memory_size_mb` or `tags[0]`."""
    parts: list[str] = []
    for index, item in enumerate(loc):
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _UNION_TAGS and index > 0 and loc[index - 1] == "inference":
            continue
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "$"


def from_pydantic_errors(errors: Iterable[Any]) -> list[Problem]:
    """Convert pydantic `ValidationError.errors()` entries into problems, expanding cross-field checks."""
    problems: list[Problem] = []
    for error in errors:
        ctx = error.get("ctx") or {}
        nested = ctx.get("problems")
        if isinstance(nested, list | tuple):
            problems.extend(p for p in nested if isinstance(p, Problem))
            continue
        found = "(missing)" if error["type"] == "missing" else describe(error.get("input"))
        problems.append(Problem(loc_to_path(error["loc"]), found, _allowed(error, ctx), error["type"]))
    return problems


def _allowed(error: Any, ctx: dict[str, Any]) -> str:
    """What is allowed, in words: a pattern is described, never quoted as a regular expression."""
    if error["type"] != "string_pattern_mismatch":
        return str(error["msg"])
    return words_for(str(ctx.get("pattern", ""))) or "text in the format docs/manifest.schema.json describes"
