"""Problems: the user-facing form of every reason an upload is rejected."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from mlops_manifest.text_rules import words_for

# Tags of the inference-settings union: pydantic puts the tag in the error location, the JSON has none.
# The InferenceType values, written out so that this module loads without pydantic; a test keeps them in step.
_UNION_TAGS = frozenset({"realtime", "serverless", "async", "batch"})
_MAX_FOUND_CHARS = 120
_JSON_WORDS = {None: "null", True: "true", False: "false"}
# Pydantic's wording for bounds and types, in the words a person fixing a JSON file needs.
_BOUNDS = {
    "greater_than_equal": ("a number of at least", "ge"),
    "greater_than": ("a number greater than", "gt"),
    "less_than_equal": ("a number of at most", "le"),
    "less_than": ("a number less than", "lt"),
}
_WORDS = {
    "missing": "this field is required",
    "enum": "one of {expected}",
    "literal_error": "one of {expected}",
    "extra_forbidden": "no field of this name here: remove it, or correct its spelling to a documented field",
    "string_too_short": "text of at least {min_length} character(s)",
    "string_too_long": "text of at most {max_length} characters",
    "too_short": "a list of at least {min_length} item(s)",
    "too_long": "a list of at most {max_length} items",
    "int_type": "a whole number (such as 2)",
    "int_parsing": "a whole number (such as 2)",
    "int_from_float": "a whole number (such as 2), not a fraction",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text in double quotes",
    "bool_type": "true or false (JSON booleans, without quotes)",
    "bool_parsing": "true or false (JSON booleans, without quotes)",
    "list_type": "a list ([...])",
    "dict_type": "an object ({{...}})",
    "model_type": "an object ({{...}})",
    "model_attributes_type": "an object ({{...}})",
}


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


def from_pydantic_errors(
    errors: Iterable[Any], *, pattern_words: Callable[[str], str | None] = words_for
) -> list[Problem]:
    """Convert pydantic `ValidationError.errors()` entries into problems, expanding cross-field checks."""
    errors = list(errors)
    problems: list[Problem] = []
    for error in errors:
        if _counted_items_only(error, errors):
            continue
        ctx = error.get("ctx") or {}
        nested = ctx.get("problems")
        if isinstance(nested, list | tuple):
            problems.extend(p for p in nested if isinstance(p, Problem))
            continue
        loc, found = tuple(error["loc"]), describe(error.get("input"))
        if error["type"] == "missing":
            found = "(missing)"
        elif error["type"] == "union_tag_invalid":  # name the tag field itself, not the whole object
            loc, found = (*loc, str(ctx.get("discriminator", "type")).strip("'")), describe(ctx.get("tag"))
        allowed = _allowed(error, ctx, pattern_words)
        problems.append(Problem(loc_to_path(loc), found, allowed, error["type"]))
    return problems


def _counted_items_only(error: Any, errors: list[Any]) -> bool:
    """A list's too-short error caused by its own bad items only (pydantic counts valid items): the
    items' problems say what is wrong, "at least 1 item" next to a list of one item would mislead."""
    if error["type"] != "too_short":
        return False
    loc = tuple(error["loc"])
    return any(len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc for other in errors)


def _allowed(error: Any, ctx: dict[str, Any], pattern_words: Callable[[str], str | None]) -> str:
    """What is allowed, in words: a pattern is described, never quoted as a regular expression."""
    kind = error["type"]
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return pattern_words(pattern) or "text in the format docs/manifest.schema.json describes"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return f"{word} {ctx.get(key)}"
    if kind in _WORDS:
        return _WORDS[kind].format(**ctx)
    if kind == "union_tag_invalid":
        tags = [str(getattr(tag, "value", tag)).strip("'") for tag in _tags(ctx.get("expected_tags"))]
        return "one of " + ", ".join(repr(tag) for tag in tags)
    return _plain(str(error["msg"]))


def _tags(expected: Any) -> list[str]:
    """The tags pydantic lists as `'a', 'b'`, or as enum reprs `<Kind.A: 'a'>`."""
    text = str(expected or "")
    return re.findall(r"'([^']*)'", text) or [text]


def _plain(message: str) -> str:
    """Pydantic's message without its 'Input should be' / 'Value error,' framing."""
    for prefix in ("Input should be ", "Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message
